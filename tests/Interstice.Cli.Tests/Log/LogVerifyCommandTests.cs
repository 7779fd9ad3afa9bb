using Interstice.Cli.Commands.Log;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;

namespace Interstice.Cli.Tests.Log;

public class LogVerifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("interstice-log-verify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A log of node events (no tables needed), the last one cut short as by a crash.</summary>
    private string WriteTornLog()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory) { Policy = DurabilityPolicy.None }))
        {
            for (ulong id = 1; id <= 20; id++) log.AppendEvent(new ModuleLoadedRecord(id, 0, $"module{id}", new byte[32], new byte[100]));
        }
        string segment = new DataDirectory(_directory).ListSegments()[0].Path;
        using var file = new FileStream(segment, FileMode.Open);
        file.SetLength(file.Length - 10);
        return segment;
    }

    private (int Exit, string Out, string Err) Run(string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = new LogVerifyCommand(new StringReader(input)).Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_healthy_log_verifies_with_exit_code_0()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 0, "bank", new byte[32], new byte[10]));
        }
        var (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory);
        Assert.Equal(0, exit);
        Assert.Contains("log: 1 segment, 1 record", output);
        Assert.Contains("00000000000000000001.log", output);
        Assert.Contains("all valid", output);
    }

    [Fact]
    public void A_module_binary_that_no_longer_matches_its_hash_is_reported_with_exit_code_1()
    {
        var (ran, _, ranError) = Repository.Cli("example", "hello", "--data-dir", _directory, "Ann");
        Assert.True(ran == 0, ranError);
        var (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory);
        Assert.Equal(0, exit);
        Assert.Contains("modules: 2 binaries, each matching its hash", output);

        string binary = Directory.GetFiles(Path.Combine(_directory, "modules"), "*.wasm").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(binary);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(binary, bytes);
        (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Contains($"{Path.Combine("modules", Path.GetFileName(binary))}  {bytes.Length} bytes  DAMAGED: holds other bytes than its name says", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_torn_tail_is_reported_with_exit_code_1_and_the_way_to_repair_it()
    {
        string segment = WriteTornLog();
        var (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Contains("torn tail", output);
        Assert.Contains("run again with --repair", output);
        Assert.Contains(Path.GetFileName(segment), output);
    }

    [Fact]
    public void Repair_asks_first_and_changes_nothing_when_refused()
    {
        string segment = WriteTornLog();
        long length = new FileInfo(segment).Length;
        var (exit, output, _) = Run("n\n", "--data-dir", _directory, "--repair");
        Assert.Equal(1, exit);
        Assert.Contains("repair will:", output);
        Assert.Contains("proceed? [y/N]", output);
        Assert.Contains("nothing changed", output);
        Assert.Equal(length, new FileInfo(segment).Length);

        // No answer at all (no terminal) is a refusal too.
        Assert.Equal(1, Run("", "--data-dir", _directory, "--repair").Exit);
        Assert.Equal(length, new FileInfo(segment).Length);
    }

    [Fact]
    public void Repair_truncates_at_the_last_valid_record_once_confirmed()
    {
        string segment = WriteTornLog();
        var (exit, output, _) = Run("y\n", "--data-dir", _directory, "--repair");
        Assert.Equal(0, exit);
        Assert.Contains("done: truncate", output);
        Assert.Contains("the log and snapshots are now valid", output);
        Assert.Equal(19, LogReader.Read(_directory).Count());
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "quarantine")));
        Assert.Equal(0, Repository.Cli("log", "verify", "--data-dir", _directory).Exit);
    }

    [Fact]
    public void Repair_with_yes_does_not_ask()
    {
        WriteTornLog();
        var (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory, "--repair", "--yes");
        Assert.Equal(0, exit);
        Assert.DoesNotContain("proceed?", output);
    }

    [Fact]
    public void Damage_in_the_middle_is_reported_with_file_and_offset()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            for (ulong id = 1; id <= 5; id++) log.AppendEvent(new ModuleRemovedRecord(id, 0, $"m{id}"));
        }
        var second = LogReader.Read(_directory).ElementAt(1);
        using (var file = new FileStream(second.Segment, FileMode.Open))
        {
            file.Position = second.Offset + 12;
            file.WriteByte(0xEE);
        }
        var (exit, output, _) = Repository.Cli("log", "verify", "--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPT: {Path.Combine("log", Path.GetFileName(second.Segment))} at byte {second.Offset}: record checksum mismatch", output);
        Assert.Contains("after the damage: 3 valid records (transactions 3..5), which a repair takes out of the log", output);
    }

    [Fact]
    public void Wrong_arguments_are_usage_errors()
    {
        Assert.Equal(2, Repository.Cli("log", "verify").Exit);
        Assert.Equal(2, Repository.Cli("log", "verify", "--data-dir", _directory, "--yes").Exit);
        Assert.Equal(2, Repository.Cli("log", "verify", "--data-dir", _directory, "extra").Exit);
        var (exit, _, error) = Repository.Cli("log", "verify", "--data-dir", Path.Combine(_directory, "absent"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error);
    }
}
