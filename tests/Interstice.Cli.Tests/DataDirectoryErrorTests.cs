using System.Runtime.Versioning;
using System.Security.Cryptography;
using Interstice.Cli.Commands.Example;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Core;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;

namespace Interstice.Cli.Tests;

/// <summary>
/// What the commands that take <c>--data-dir</c> (<c>log inspect</c>, <c>log verify</c>,
/// <c>example hello</c>) do when the directory is not usable: a blank path is a usage error
/// (exit 2); a file, an unreadable file or directory, a full disk or a failed log is one line on
/// stderr naming the file and exit 1, never a stack trace; the readers work beside a node holding
/// the directory (its refusals are <see cref="DataDirectoryLockAcrossProcessesTests"/>).
/// Permission cases run the CLI as a process of its own without root's override of file
/// permissions (setpriv), since the tests run as root in CI.
/// </summary>
[UnsupportedOSPlatform("windows")]
public class DataDirectoryErrorTests : IDisposable
{
    private static readonly string[][] Commands = [["log", "inspect"], ["log", "verify"], ["example", "hello"]];

    private readonly string _temp = Directory.CreateTempSubdirectory("interstice-data-dir-").FullName;

    public void Dispose()
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(_temp, "*", SearchOption.AllDirectories))
        {
            if (Directory.Exists(path)) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            else if (File.Exists(path)) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Directory.Delete(_temp, recursive: true);
    }

    /// <summary>A data directory a node has used: the example's modules, their init and one call logged.</summary>
    private string UsedDirectory()
    {
        string directory = Path.Combine(_temp, "data");
        var (exit, _, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Ann");
        Assert.True(exit == 0, error);
        return directory;
    }

    private static string[] With(string[] command, params string[] rest) => [.. command, .. rest];

    [Fact]
    public void A_blank_data_directory_is_a_usage_error()
    {
        foreach (var command in Commands)
        {
            foreach (string blank in new[] { "", "  " })
            {
                var (exit, _, error) = Repository.Cli(With(command, "--data-dir", blank));
                Assert.Equal(2, exit);
                Assert.Contains($"option --data-dir needs a path, not '{blank}'", error);
            }
        }
    }

    [Fact]
    public void A_data_directory_that_is_a_file_is_not_a_directory_for_every_command()
    {
        string file = Path.Combine(_temp, "file");
        File.WriteAllText(file, "not a directory");
        foreach (var command in Commands)
        {
            var (exit, _, error) = Repository.Cli(With(command, "--data-dir", file));
            Assert.Equal(1, exit);
            CliAssert.OneErrorLine(error, $"{file} is not a directory");
        }
        Assert.Equal("not a directory", File.ReadAllText(file));
    }

    [Fact]
    public void A_log_that_is_a_file_is_not_a_directory_for_every_command()
    {
        string directory = UsedDirectory();
        string log = Path.Combine(directory, "log");
        Directory.Delete(log, recursive: true);
        File.WriteAllText(log, "not a directory");
        foreach (var command in Commands)
        {
            var (exit, output, error) = Repository.Cli(With(command, "--data-dir", directory));
            Assert.Equal(1, exit);
            CliAssert.OneErrorLine(error, $"{log} is not a directory");
            Assert.DoesNotContain("0 records", output);
        }
    }

    /// <summary>
    /// Readers do not take the directory's lock: they work beside a running node. (That a held
    /// directory refuses a second node and a repair, across processes too, is
    /// <see cref="DataDirectoryLockAcrossProcessesTests"/>.)
    /// </summary>
    [Fact]
    public void A_directory_a_node_holds_can_still_be_read()
    {
        string directory = UsedDirectory();
        using var node = new Node(new NodeOptions { Durability = new DurabilityOptions(directory) });

        var (verify, verified, verifyError) = Repository.Cli("log", "verify", "--data-dir", directory);
        Assert.True(verify == 0, verifyError);
        Assert.Contains("all valid", verified);
        var (inspect, inspected, inspectError) = Repository.Cli("log", "inspect", "--data-dir", directory);
        Assert.True(inspect == 0, inspectError);
        Assert.Contains("call hello.hello(\"Ann\",\"Happy\")", inspected);
    }

    [Fact]
    public void A_module_binary_that_cannot_be_stored_for_a_full_disk_is_one_error_line()
    {
        // The node writes a binary to <hash>.wasm.<pid>.tmp first: make that a link to /dev/full,
        // where every write fails with ENOSPC ("No space left on device") as on a full disk.
        string directory = Path.Combine(_temp, "data");
        string hash = Convert.ToHexStringLower(SHA256.HashData(ExampleModules.Load("hello")));
        string temporary = Path.Combine(directory, "modules", $"{hash}.wasm.{Environment.ProcessId}.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
        File.CreateSymbolicLink(temporary, "/dev/full");

        var (exit, output, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Ann");
        Assert.Equal(1, exit);
        CliAssert.OneErrorLine(error, "No space left on device");
        Assert.Contains(temporary, error);
        Assert.DoesNotContain("committed", output);
        Assert.DoesNotContain("loaded hello", output);
        Assert.False(File.Exists(temporary), "the temporary file of the failed write was left behind");
    }

    /// <summary>
    /// A log that fails to write (here: the file size limit, EFBIG, as a full disk gives ENOSPC):
    /// the call's transactions are not claimed as committed, and the failure is one line. The
    /// call gets <see cref="NodeFaultedException"/> when a later transaction of it finds the node
    /// faulted (ExampleCommand's own catch), or the log's <c>CommitLogFailedException</c> when it
    /// was waiting for durability (the command line's catch); both print this line, exit 1.
    /// </summary>
    [Fact]
    public async Task A_log_that_fails_to_write_claims_no_commit_and_is_one_error_line()
    {
        string directory = UsedDirectory();
        string name = new('x', 9000);
        // SIGXFSZ ignored (so that the write fails instead of killing the process), files limited to
        // 8 KiB; the runtime's W^X double mapping needs a large file of its own, so it is turned off.
        string[] launcher = ["bash", "-c", "trap '' XFSZ; exec \"$@\"", "bash", "prlimit", "--fsize=8192"];
        var (exit, output, error) = await Repository.CliProcess(launcher, new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" },
            "example", "hello", "--data-dir", directory, name);
        Assert.True(exit == 1, $"exit {exit}\n{output}\n{error}");
        string line = CliAssert.OneErrorLine(error);
        Assert.StartsWith("interstice example: ", line);
        Assert.Contains($"the commit log in {Path.Combine(directory, "log")} failed to write or sync (", line);
        Assert.Contains($"calling hello.hello(\"{name}\", \"Happy\")", output);
        Assert.DoesNotContain("committed #", output);
        Assert.True(output.Contains("not committed: ", StringComparison.Ordinal), output);
        Assert.Matches(@"(?m)^not committed: [12] transaction\(s\) of this step were not made durable", output);
    }

    /// <summary>How a test makes a path unusable, and which commands must then fail naming what.</summary>
    public static TheoryData<string, string, string, bool> UnreadableCases => new()
    {
        // what is made unreadable, its path (relative), the error names, whether the log readers fail too
        { "segment", "log/00000000000000000001.log", "log/00000000000000000001.log", true },
        { "log directory", "log", "log cannot be read (permission denied)", true },
        { "data directory", ".", "(permission denied)", true },
        { "snapshots directory", "snapshots", "snapshots cannot be read (permission denied)", true },
        { "module binary", "modules/*", "modules/", false },
    };

    [Theory]
    [MemberData(nameof(UnreadableCases))]
    public async Task An_unreadable_file_or_directory_is_one_error_line_naming_it_never_an_empty_directory(string what, string path, string named, bool readersFail)
    {
        string directory = UsedDirectory();
        Directory.CreateDirectory(Path.Combine(directory, "snapshots"));
        foreach (string target in Targets(directory, path)) File.SetUnixFileMode(target, UnixFileMode.None);

        foreach (var command in Commands)
        {
            bool reader = command[0] == "log";
            string[] args = reader ? With(command, "--data-dir", directory) : With(command, "--data-dir", directory, "Bo");
            var (exit, output, error) = await RunUnprivileged(args);
            if (reader && !readersFail)
            {
                if (what == "module binary" && command[1] == "verify")
                {
                    // log verify checks each module binary against its hash: it reports this one.
                    Assert.True(exit == 1, $"{what}: {string.Join(' ', command)}: exit {exit}\n{output}");
                    Assert.Contains("DAMAGED: cannot be read", output);
                    continue;
                }
                Assert.True(exit == 0, $"{what}: {string.Join(' ', command)}: exit {exit}\n{error}");
                continue;
            }
            Assert.True(exit == 1, $"{what}: {string.Join(' ', command)}: exit {exit}\n{output}\n{error}");
            CliAssert.OneErrorLine(error, named);
            Assert.Contains(directory, error);
            Assert.DoesNotContain("all valid", output);
            Assert.DoesNotContain("0 records", output);
        }
    }

    [Fact]
    public async Task A_read_only_segment_stops_the_node_with_one_error_line_and_is_still_read()
    {
        string directory = UsedDirectory();
        string segment = Path.Combine(directory, "log", DataDirectory.SegmentFileName(1));
        File.SetUnixFileMode(segment, UnixFileMode.UserRead);

        var (exit, _, error) = await RunUnprivileged("example", "hello", "--data-dir", directory, "Bo");
        Assert.Equal(1, exit);
        CliAssert.OneErrorLine(error, $"Access to the path '{segment}' is denied");
        Assert.Equal(0, (await RunUnprivileged("log", "inspect", "--data-dir", directory)).Exit);
        Assert.Equal(0, (await RunUnprivileged("log", "verify", "--data-dir", directory)).Exit);
    }

    /// <summary>
    /// A <c>modules/</c> that cannot be listed (no read permission) keeps <c>log verify</c> from
    /// checking every binary there: it says so and exits 1, and still rehearses the start, which
    /// reads the binaries it needs by name (and so does a real start).
    /// </summary>
    [Fact]
    public async Task An_unlistable_modules_directory_is_reported_by_log_verify_which_still_rehearses_the_start()
    {
        string directory = UsedDirectory();
        string modules = Path.Combine(directory, "modules");
        File.SetUnixFileMode(modules, UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, output, _) = await RunUnprivileged("log", "verify", "--data-dir", directory);
        Assert.Equal(1, exit);
        Assert.Contains($"modules: DAMAGED: {modules} cannot be listed: Access to the path '{modules}' is denied.", output);
        Assert.Contains("start: restores from the log's beginning, replays 6 records, loads 2 modules", output);
        Assert.DoesNotContain("START FAILS", output);
        Assert.Equal(0, (await RunUnprivileged("example", "hello", "--data-dir", directory, "Bo")).Exit);
    }

    [Fact]
    public async Task A_read_only_modules_directory_stops_a_module_load_with_one_error_line()
    {
        string directory = Path.Combine(_temp, "data");
        string modules = Path.Combine(directory, "modules");
        Directory.CreateDirectory(modules);
        File.SetUnixFileMode(modules, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exit, output, error) = await RunUnprivileged("example", "hello", "--data-dir", directory, "Bo");
        Assert.Equal(1, exit);
        CliAssert.OneErrorLine(error, modules);
        Assert.DoesNotContain("committed", output);
    }

    /// <summary>
    /// A start refused for what the log holds says so in one line whose names come from the log:
    /// control characters in them are printed escaped, so a hostile log cannot forge output
    /// lines or drive the terminal.
    /// </summary>
    [Fact]
    public void A_refused_start_prints_names_from_the_log_escaped()
    {
        string directory = Path.Combine(_temp, "evil");
        using (var log = CommitLog.Open(new DurabilityOptions(directory)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 0, "evil\u001b[31m\nforged", new byte[32], new byte[10]));
        }
        var (exit, output, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Bo");
        Assert.Equal(1, exit);
        Assert.DoesNotContain("\u001b", error);
        CliAssert.OneErrorLine(error, directory);
        Assert.Contains("evil\\u001b[31m\\u000aforged", error);
        Assert.Empty(output);
    }

    private static IEnumerable<string> Targets(string directory, string path) =>
        path.EndsWith("/*", StringComparison.Ordinal)
            ? Directory.GetFiles(Path.Combine(directory, path[..^2]))
            : [Path.GetFullPath(Path.Combine(directory, path))];

    /// <summary>
    /// Runs the CLI as a process that file permissions apply to: as root (the tests in CI), without
    /// the capabilities that override them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
    /// </summary>
    private static Task<(int Exit, string Out, string Err)> RunUnprivileged(params string[] args) =>
        Repository.CliProcess(Environment.IsPrivilegedProcess ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [],
            new Dictionary<string, string>(), args);
}
