using System.Diagnostics;
using System.Text;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Core;
using Interstice.Core.Durability;

namespace Interstice.Cli.Tests;

/// <summary>
/// One node per data directory across processes, not only inside one: the lock
/// (<see cref="DataDirectoryLock"/>, a <c>flock</c> on <c>DIR/node.lock</c>) held by a node in
/// this process refuses the CLI run as a process of its own, and the lock held by a CLI process
/// refuses a node here; each side gets the directory once the other lets go.
/// </summary>
public class DataDirectoryLockAcrossProcessesTests : IDisposable
{
    /// <summary>How long a child process may take to reach a point the test waits for (a cold dotnet start is about a second).</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

    private readonly string _temp = Directory.CreateTempSubdirectory("interstice-lock-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>A data directory a node has used, with one greeting logged.</summary>
    private string UsedDirectory()
    {
        string directory = Path.Combine(_temp, "data");
        var (exit, _, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Ann");
        Assert.True(exit == 0, error);
        return directory;
    }

    [Fact]
    public async Task A_node_in_this_process_refuses_the_cli_in_another_until_it_is_disposed()
    {
        string directory = UsedDirectory();
        using (new Node(new NodeOptions { Durability = new DurabilityOptions(directory) }))
        {
            var (exit, output, error) = await Repository.CliProcess("example", "hello", "--data-dir", directory, "Bo");
            Assert.True(exit == 1, $"exit {exit}\n{output}\n{error}");
            Assert.Equal($"interstice example: {InUse(directory)}", CliAssert.OneErrorLine(error));
            Assert.DoesNotContain("committed", output);

            var (repair, _, repairError) = await Repository.CliProcess("log", "verify", "--repair", "--yes", "--data-dir", directory);
            Assert.True(repair == 1, repairError);
            Assert.Equal($"interstice log verify: cannot repair: {InUse(directory)}", CliAssert.OneErrorLine(repairError));
        }

        var (after, afterOutput, afterError) = await Repository.CliProcess("example", "hello", "--data-dir", directory, "Bo");
        Assert.True(after == 0, afterError);
        Assert.Contains("table hello.greetings (3 rows):", afterOutput);
        var (verify, verified, verifyError) = await Repository.CliProcess("log", "verify", "--repair", "--yes", "--data-dir", directory);
        Assert.True(verify == 0, verifyError);
        Assert.Contains("all valid", verified);
    }

    [Fact]
    public async Task A_cli_process_holding_the_directory_refuses_a_node_here_until_it_ends()
    {
        string directory = UsedDirectory();
        string greetings;
        using (var first = new Node(new NodeOptions { Durability = new DurabilityOptions(directory) })) greetings = first.RunQueryJson("hello", "count", "[]");
        // A torn tail, so that `log verify --repair` locks the directory and then waits on stdin
        // for its confirmation: a CLI process holding the directory for as long as the test wants.
        string segment = Path.Combine(directory, "log", DataDirectory.SegmentFileName(1));
        using (var file = new FileStream(segment, FileMode.Append)) file.Write([1, 2, 3]);

        using var child = Repository.StartCli("log", "verify", "--repair", "--data-dir", directory);
        try
        {
            var stderr = child.StandardError.ReadToEndAsync();
            string prompt = await ReadUntil(child.StandardOutput, "proceed? [y/N] ");
            Assert.Contains("torn tail", prompt);

            var refused = Assert.Throws<DataDirectoryInUseException>(() => new Node(new NodeOptions { Durability = new DurabilityOptions(directory) }));
            Assert.Equal(directory, refused.Directory);
            Assert.Equal(Path.Combine(directory, DataDirectoryLock.FileName), refused.LockFile);

            await child.StandardInput.WriteLineAsync("n");
            child.StandardInput.Close();
            string rest = await child.StandardOutput.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(ChildTimeout)) await child.WaitForExitAsync(timeout.Token);
            Assert.True(child.ExitCode == 1, $"exit {child.ExitCode}\n{rest}\n{await stderr}");
            Assert.Contains("nothing changed", rest);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }

        // The child is gone and its lock with it: a node here opens the directory (cutting the torn tail away).
        using var node = new Node(new NodeOptions { Durability = new DurabilityOptions(directory) });
        Assert.Equal(greetings, node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>The documented refusal (<see cref="DataDirectoryInUseException"/>'s message).</summary>
    private static string InUse(string directory) =>
        $"the data directory {directory} is in use: another node holds it (its lock file {Path.Combine(directory, DataDirectoryLock.FileName)} is locked by a running node, in this process or another)";

    /// <summary>Reads <paramref name="reader"/> until what was read ends with <paramref name="marker"/> (a prompt has no newline); fails at the end of the stream or after <see cref="ChildTimeout"/>.</summary>
    private static async Task<string> ReadUntil(StreamReader reader, string marker)
    {
        using var timeout = new CancellationTokenSource(ChildTimeout);
        var text = new StringBuilder();
        var buffer = new char[256];
        while (!text.ToString().EndsWith(marker, StringComparison.Ordinal))
        {
            int read = await reader.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"the process ended its output before \"{marker}\":\n{text}");
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }
}
