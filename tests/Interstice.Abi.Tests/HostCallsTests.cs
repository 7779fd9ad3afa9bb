namespace Interstice.Abi.Tests;

public class HostCallsTests
{
    [Fact]
    public void Host_calls_are_numbered_by_position_and_named_uniquely()
    {
        for (int i = 0; i < HostCalls.All.Count; i++) Assert.Equal((HostCall)i, HostCalls.All[i].Id);
        Assert.Equal(HostCalls.All.Count, HostCalls.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(Enum.GetValues<HostCall>().Length, HostCalls.All.Count);
    }

    [Fact]
    public void The_documented_table_of_imports_matches_the_code()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "abi.md"));
        foreach (var call in HostCalls.All)
        {
            Assert.Contains($"| {(int)call.Id} | `{call.Name}` |", doc);
        }
        foreach (var code in Enum.GetValues<HostErrorCode>())
        {
            Assert.Contains($"| {(int)code} | `{code}` |", doc);
        }
    }

    [Fact]
    public void Export_names() => Assert.Equal("interstice_reducer.hello", Exports.Reducer("hello"));
}
