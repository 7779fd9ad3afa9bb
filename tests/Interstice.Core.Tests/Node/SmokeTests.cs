using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Node;

public class SmokeTests
{
    [Fact]
    public void Hello()
    {
        var logs = new List<NodeLogEntry>();
        using var node = new Core.Node(new NodeOptions { Log = e => { lock (logs) logs.Add(e); } });
        node.LoadModule(ExampleModules.Load("hello"));
        node.CallReducerJson("hello", "hello", "[\"Ann\", \"Grumpy\"]");
        var rows = node.ReadRowsJson("hello", "greetings");
        Assert.Equal(2, rows.Count);
        Assert.Equal("2", node.RunQueryJson("hello", "count", "[]"));
        Assert.Contains("Ann", node.RunQueryJson("hello", "greeting", "[\"Ann\"]"));
        Assert.Single(logs);
    }
}
