namespace Interstice.Cli.Tests.TestSupport;

/// <summary>
/// A CLI process that blocks fails its test instead of hanging the run: past its timeout it is
/// killed with its children and the test gets a <see cref="TimeoutException"/> naming it.
/// </summary>
public class CliProcessTimeoutTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("interstice-timeout-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task A_process_still_running_past_its_timeout_is_killed_with_its_children_and_fails_the_test()
    {
        // The launcher stands in for a command that blocks: a shell that starts a child and waits for it.
        string pidFile = Path.Combine(_temp, "child.pid");
        string[] launcher = ["sh", "-c", $"sleep 600 & echo $! > '{pidFile}'; wait"];

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Repository.CliProcess(launcher, new Dictionary<string, string>(), TimeSpan.FromSeconds(2), "example", "hello"));

        Assert.StartsWith("`interstice example hello` (process ", error.Message);
        Assert.EndsWith("was still running after 2 s: killed with its children", error.Message);
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(SpinWait.SpinUntil(() => !IsRunning(child), TimeSpan.FromSeconds(10)), $"the blocked process's child {child} is still running");
    }

    [Fact]
    public async Task A_process_that_ends_in_time_gives_its_exit_code_and_output()
    {
        var (exit, output, error) = await Repository.CliProcess("no-such-command");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("no-such-command", error);
    }

    /// <summary>Whether a process runs (a zombie, ended but not yet reaped by its parent, does not).</summary>
    private static bool IsRunning(int pid)
    {
        string status = $"/proc/{pid}/stat";
        if (!File.Exists(status)) return false;
        try
        {
            string stat = File.ReadAllText(status);
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
