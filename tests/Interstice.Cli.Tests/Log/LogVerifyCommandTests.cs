using Interstice.Abi.Schema;
using Interstice.Cli.Commands.Log;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Inspection;
using Interstice.Core;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;
using Engine = Interstice.Wasm.Engine;
using System.Security.Cryptography;
using System.Text.Json;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Cli.Tests.Log;

public class LogVerifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("interstice-log-verify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The log of a node that ran hello and greeted a few names, its last record cut short as by a crash; returns the segment.</summary>
    private string WriteTornLog()
    {
        Greet("Ann", "Bo", "Cy");
        string segment = Assert.Single(new DataDirectory(_directory).ListSegments()).Path;
        using var file = new FileStream(segment, FileMode.Open);
        file.SetLength(file.Length - 10);
        return segment;
    }

    /// <summary>Runs <c>example hello</c> on the data directory once per name (a node that loads hello and caller, and greets).</summary>
    private void Greet(params string[] names)
    {
        foreach (string name in names)
        {
            var (exit, _, error) = Repository.Cli("example", "hello", "--data-dir", _directory, name);
            Assert.True(exit == 0, error);
        }
    }

    /// <summary>
    /// Writes, in a directory of its own, a snapshot of transaction 2 whose checksums hold but
    /// whose catalog a start cannot restore (its modules were logged with schemas that are not
    /// schemas); returns its path.
    /// </summary>
    private static string WriteMisfitSnapshot(string directory)
    {
        var database = new Database();
        var options = new DurabilityOptions(directory) { SnapshotEveryRecords = 0, SnapshotEveryBytes = 0 };
        using (var store = DurableStore.RecoverAndOpen(options, database, new NoTables(), out _))
        {
            for (ulong id = 1; id <= 2; id++) store.Log.AppendEvent(new ModuleLoadedRecord(id, 0, $"ghost{id}", new byte[32], new byte[10]));
            store.TakeSnapshot(database).Wait();
        }
        return Assert.Single(new DataDirectory(directory).ListSnapshots()).Path;
    }

    /// <summary>Adds to the data directory (beside its log) a misfit snapshot of transaction 2 (<see cref="WriteMisfitSnapshot"/>); returns its path relative to the directory.</summary>
    private string AddMisfitSnapshot()
    {
        string elsewhere = Path.Combine(_directory, "elsewhere");
        string misfit = WriteMisfitSnapshot(elsewhere);
        Directory.CreateDirectory(Path.Combine(_directory, "snapshots"));
        string name = Path.Combine("snapshots", Path.GetFileName(misfit));
        File.Copy(misfit, Path.Combine(_directory, name));
        Directory.Delete(elsewhere, recursive: true);
        return name;
    }

    /// <summary>Runs <c>log verify</c> on the data directory with <paramref name="options"/>; asserts it changed no file there (verify only reads).</summary>
    private (int Exit, string Output, string Error) Verify(params string[] options)
    {
        var before = Files();
        var result = Repository.Cli(["log", "verify", "--data-dir", _directory, .. options]);
        Assert.Equal(before, Files());
        return result;
    }

    /// <summary>Every file under the data directory with its content's hash.</summary>
    private SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(_directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(_directory, path)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        return files;
    }

    private (int Exit, string Out, string Err) Run(string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = new LogVerifyCommand(new StringReader(input)).Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_healthy_directory_verifies_with_exit_code_0_and_verify_writes_nothing()
    {
        Greet("Ann");
        var (exit, output, _) = Verify();
        Assert.Equal(0, exit);
        Assert.Contains("log: 1 segment, 6 records", output);
        Assert.Contains("00000000000000000001.log", output);
        Assert.Contains("start: restores from the log's beginning, replays 6 records, loads 2 modules", output);
        Assert.Contains("all valid", output);
    }

    [Fact]
    public void A_logged_module_load_a_start_cannot_restore_is_reported_with_exit_code_1()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 0, "bank", new byte[32], new byte[10]));
        }
        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains("log: 1 segment, 1 record", output);
        Assert.Contains("START FAILS: ", output);
        Assert.Contains("the schema logged for module `bank` by transaction 1 is not valid", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_missing_module_binary_that_a_start_needs_is_named_with_its_path_and_exit_code_1()
    {
        Greet("Ann");
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repository.ExampleModule("hello"))));
        string binary = Path.Combine("modules", hash + ".wasm");
        File.Delete(Path.Combine(_directory, binary));

        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"  module `hello` 0.1.0 (sha-256 {hash}): {binary} is missing: a start stops; put the module's binary back", output);
        Assert.DoesNotContain("module `caller`", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_module_binary_that_does_not_declare_its_logged_tables_is_named_with_the_table_as_a_start_names_it()
    {
        Greet("Ann");
        byte[] hello = File.ReadAllBytes(Repository.ExampleModule("hello"));
        string hash = Convert.ToHexStringLower(SHA256.HashData(hello));
        var declared = ModuleContract.Read(hello, new Engine()).Schema;
        // hello's tables made again from a schema without the index its binary declares: what no
        // node logs (a node logs its binary's schema), written as a node writes its events.
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleRemovedRecord(log.LastTransactionId + 1, 0, "hello"));
            var logged = declared with { Tables = [declared.Tables[0] with { Indexes = [] }] };
            log.AppendEvent(new ModuleLoadedRecord(log.LastTransactionId + 1, 0, "hello", Convert.FromHexString(hash), SchemaBinary.Encode(logged)));
        }
        const string problem = "cannot be restored: cannot load module hello: table `greetings` holds data from the module's last load " +
            "and the new binary declares it differently; the node does not migrate data: remove the module first";

        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains("start: restores from the log's beginning, replays 8 records, loads 2 modules", output);
        Assert.Contains($"  module `hello` 0.1.0 (sha-256 {hash}): {Path.Combine("modules", hash + ".wasm")} {problem}", output);
        Assert.DoesNotContain("module `caller`", output);
        Assert.DoesNotContain("all valid", output);

        (exit, output, _) = Verify("--json");
        Assert.Equal(1, exit);
        using (var report = JsonDocument.Parse(output))
        {
            Assert.False(report.RootElement.GetProperty("healthy").GetBoolean());
            var modules = report.RootElement.GetProperty("start").GetProperty("modules").EnumerateArray().ToList();
            Assert.Equal(problem, Assert.Single(modules, m => m.GetProperty("name").GetString() == "hello").GetProperty("problem").GetString());
            Assert.False(Assert.Single(modules, m => m.GetProperty("name").GetString() == "caller").TryGetProperty("problem", out _));
        }
        Assert.Equal(0, Verify("--files-only").Exit);

        // The start verify stands for stops at hello for the same reason.
        var (started, _, error) = Repository.Cli("example", "hello", "--data-dir", _directory, "Bo");
        Assert.Equal(1, started);
        Assert.Contains($"module `hello` 0.1.0 (sha-256 {hash}) {problem}", error);
    }

    [Fact]
    public void A_snapshot_whose_content_does_not_fit_is_named_and_a_start_falls_back_to_the_log()
    {
        Greet("Ann");
        string name = AddMisfitSnapshot();

        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"UNFIT: {name}: the snapshot's catalog: the schema logged for module `ghost1` by transaction 1 is not valid", output);
        Assert.Contains("; a start skips it and restores from the log's beginning", output);
        Assert.Contains("start: restores from the log's beginning, replays 6 records, loads 2 modules", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_snapshot_whose_content_does_not_fit_without_the_log_before_it_is_a_start_that_fails()
    {
        string misfit = WriteMisfitSnapshot(_directory);
        foreach (var segment in new DataDirectory(_directory).ListSegments()) File.Delete(segment.Path);

        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"START FAILS: cannot recover: snapshot {misfit} does not fit (the snapshot's catalog: the schema logged for module `ghost1` by transaction 1 is not valid", output);
        Assert.Contains("and there is no log to replay from the beginning (no usable snapshot) (transaction 0) to transaction 2", output);
        Assert.Contains("; a start skips it and tries an older state (which fails: below)", output);
        Assert.DoesNotContain("restores from", output);

        (exit, output, _) = Verify("--json");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var start = report.RootElement.GetProperty("start");
        Assert.Equal(Path.Combine("snapshots", Path.GetFileName(misfit)), Assert.Single(start.GetProperty("unfit_snapshots").EnumerateArray()).GetProperty("file").GetString());
        Assert.StartsWith("cannot recover: snapshot ", start.GetProperty("fails").GetString());
        Assert.False(start.TryGetProperty("restores_from", out _));
    }

    [Fact]
    public void Files_only_checks_the_files_and_says_the_start_was_not_rehearsed()
    {
        Greet("Ann");
        AddMisfitSnapshot();

        // The snapshot's checksums hold: only a start finds that it does not fit.
        var (exit, output, _) = Run("", "--data-dir", _directory, "--files-only");
        Assert.Equal(0, exit);
        Assert.Contains("start: not rehearsed (--files-only)", output);
        Assert.DoesNotContain("UNFIT", output);
        Assert.Contains("all valid", output);
        Assert.Equal(1, Run("", "--data-dir", _directory).Exit);
    }

    [Fact]
    public void A_segment_listed_but_gone_when_read_is_reported_as_a_directory_that_changed_not_a_crash()
    {
        Greet("Ann");
        // Listed, and gone when opened: what a running node's retention does between verify's
        // listing and its reading, made deterministic by a link to nothing.
        string gone = Path.Combine(_directory, "log", "00000000000000000008.log");
        File.CreateSymbolicLink(gone, Path.Combine(_directory, "nothing"));

        var (exit, output, error) = Run("", "--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Equal("", error);
        Assert.Contains($"CHANGED: the directory changed while verifying (is a node running on it?): {gone} was gone when it came to be read; ", output);
        Assert.Contains($"start: not known: the directory changed while verifying (is a node running on it?): {gone} was gone when it came to be read; ", output);
        Assert.Contains("00000000000000000008.log  ", output);
        Assert.Contains("not read (the directory changed)", output);
        Assert.Contains("log: 2 segments, 6 records", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_log_that_does_not_reach_back_is_said_once_not_again_as_a_start_failure()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory) { SegmentSize = 4096 }))
        {
            for (ulong id = 1; id <= 6; id++) log.AppendEvent(new ModuleLoadedRecord(id, 0, $"m{id}", new byte[32], new byte[1500]));
        }
        var segments = new DataDirectory(_directory).ListSegments();
        Assert.True(segments.Count > 1);
        File.Delete(segments[0].Path);

        var (exit, output, _) = Run("", "--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Contains("INCOMPLETE: the log starts after transaction ", output);
        Assert.DoesNotContain("START FAILS", output);
    }

    [Fact]
    public void A_logged_delete_of_a_missing_row_is_named_with_its_segment_offset_and_transaction()
    {
        Greet("Ann");
        using (var node = new Node(new NodeOptions { Durability = new DurabilityOptions(_directory) })) node.RemoveModule("caller");
        // Take out the records that wrote caller's row of interstice.modules (its insert at the load): the removal then deletes a missing row.
        var records = LogInspector.Read(_directory, new InspectionFilter()).ToList();
        var delete = records.Single(r => r.Changes.Any(c => c.Kind == RowChangeKind.Delete && c.Table == "modules"));
        string segment = delete.Segment;
        var bytes = File.ReadAllBytes(segment).ToList();
        long deleteOffset = delete.Offset;
        for (int i = records.Count - 2; i >= 0; i--)
        {
            if (!records[i].Changes.Any(c => c.Table == "modules" && c.Kind != RowChangeKind.Delete && c.NewRow!.Contains("\"caller\""))) continue;
            Assert.Equal(segment, records[i + 1].Segment);
            int from = (int)records[i].Offset, to = (int)records[i + 1].Offset;
            bytes.RemoveRange(from, to - from);
            if (from < delete.Offset) deleteOffset -= to - from;
        }
        File.WriteAllBytes(segment, [.. bytes]);

        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"START FAILS: {segment} at byte {deleteOffset}: transaction {delete.TransactionId} deletes a row of interstice.modules with name = \"caller\", which does not exist", output);
    }

    [Fact]
    public void A_module_binary_that_no_longer_matches_its_hash_is_reported_with_exit_code_1()
    {
        var (ran, _, ranError) = Repository.Cli("example", "hello", "--data-dir", _directory, "Ann");
        Assert.True(ran == 0, ranError);
        var (exit, output, _) = Verify();
        Assert.Equal(0, exit);
        Assert.Contains("modules: 2 binaries, each matching its hash", output);

        string binary = Directory.GetFiles(Path.Combine(_directory, "modules"), "*.wasm").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(binary);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(binary, bytes);
        (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"{Path.Combine("modules", Path.GetFileName(binary))}  {bytes.Length} bytes  DAMAGED: holds other bytes than its name says", output);
        Assert.DoesNotContain("all valid", output);
    }

    [Fact]
    public void A_torn_tail_is_reported_with_exit_code_1_and_the_way_to_repair_it()
    {
        string segment = WriteTornLog();
        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        // The start's restore ran read-only: the torn tail is reported, not cut away.
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
        long records = LogInspector.Read(_directory, new InspectionFilter(), tornTail: _ => { }).Count() + 1;
        var (exit, output, _) = Run("y\n", "--data-dir", _directory, "--repair");
        Assert.Equal(0, exit);
        Assert.Contains("done: truncate", output);
        Assert.Contains("the log and snapshots are now valid", output);
        Assert.Equal(records - 1, LogReader.Read(_directory).Count());
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "quarantine")));
        Assert.Equal(0, Verify().Exit);
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
        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPT: {Path.Combine("log", Path.GetFileName(second.Segment))} at byte {second.Offset}: record checksum mismatch", output);
        Assert.Contains("after the damage: 3 valid records (transactions 3..5), which a repair takes out of the log", output);

        (exit, output, _) = Verify("--json");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var corruption = report.RootElement.GetProperty("corruption");
        Assert.Equal(second.Offset, corruption.GetProperty("offset").GetInt64());
        Assert.StartsWith("record checksum mismatch", corruption.GetProperty("reason").GetString());
        var after = corruption.GetProperty("valid_records_after");
        Assert.Equal(3, after.GetProperty("count").GetInt64());
        Assert.Equal(3UL, after.GetProperty("first_transaction").GetUInt64());
        Assert.Equal(5UL, after.GetProperty("last_transaction").GetUInt64());
        Assert.True(report.RootElement.GetProperty("start").GetProperty("stopped_at_damage").GetBoolean());
    }

    [Fact]
    public void Json_reports_a_healthy_directory_as_one_object()
    {
        Greet("Ann");
        var (exit, output, _) = Verify("--json");
        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.True(root.GetProperty("healthy").GetBoolean());
        Assert.Equal(6, root.GetProperty("records").GetInt64());
        var segment = Assert.Single(root.GetProperty("segments").EnumerateArray());
        Assert.Equal(Path.Combine("log", "00000000000000000001.log"), segment.GetProperty("file").GetString());
        Assert.True(segment.GetProperty("verified").GetBoolean());
        var start = root.GetProperty("start");
        Assert.Equal("log", start.GetProperty("restores_from").GetString());
        Assert.Equal(6, start.GetProperty("records_replayed").GetInt64());
        Assert.Equal(0, start.GetProperty("owed_handler_calls").GetInt64());
        Assert.Equal(["caller", "hello"], start.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("name").GetString()).Order());
        Assert.False(root.TryGetProperty("corruption", out _));
        Assert.Empty(root.GetProperty("repair_would").EnumerateArray());
    }

    /// <summary>
    /// The log ends between a call and the subscription handler it queued (as a crash leaves
    /// it): the directory is healthy, and the start it rehearses says it runs the call owed.
    /// </summary>
    [Fact]
    public void A_handler_call_left_owed_is_counted_in_what_the_start_does()
    {
        Greet("Ann");
        var last = LogInspector.Read(_directory, new InspectionFilter(), tornTail: _ => { }).Last();
        Assert.Equal("transaction", last.Kind);
        Assert.Equal(CommitKind.Subscription, last.Inputs!.Kind);
        using (var file = new FileStream(last.Segment, FileMode.Open)) file.SetLength(last.Offset);

        var (exit, output, _) = Verify();
        Assert.Equal(0, exit);
        Assert.Contains("start: restores from the log's beginning, replays 5 records, loads 2 modules, then runs 1 subscription handler call left owed", output);
        Assert.Contains("all valid", output);
        Assert.DoesNotContain("drops owed handler call", output);
        using var report = JsonDocument.Parse(Verify("--json").Output);
        Assert.Equal(1, report.RootElement.GetProperty("start").GetProperty("owed_handler_calls").GetInt64());
        Assert.Empty(report.RootElement.GetProperty("start").GetProperty("dropped_handler_calls").EnumerateArray());
    }

    [Fact]
    public void Json_names_a_missing_module_binary_with_exit_code_1()
    {
        Greet("Ann");
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repository.ExampleModule("hello"))));
        File.Delete(Path.Combine(_directory, "modules", hash + ".wasm"));
        var (exit, output, _) = Verify("--json");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.GetProperty("healthy").GetBoolean());
        var hello = Assert.Single(report.RootElement.GetProperty("start").GetProperty("modules").EnumerateArray(), m => m.GetProperty("name").GetString() == "hello");
        Assert.Equal(hash, hello.GetProperty("sha256").GetString());
        Assert.Contains("is missing", hello.GetProperty("problem").GetString());
    }

    [Fact]
    public void Json_with_files_only_names_a_torn_tail_and_leaves_the_start_out()
    {
        string segment = WriteTornLog();
        var (exit, output, _) = Verify("--json", "--files-only");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var torn = report.RootElement.GetProperty("torn_tail");
        Assert.Equal(Path.Combine("log", Path.GetFileName(segment)), torn.GetProperty("file").GetString());
        Assert.True(torn.GetProperty("offset").GetInt64() > 0);
        Assert.False(report.RootElement.TryGetProperty("start", out _));
        Assert.StartsWith("truncate ", Assert.Single(report.RootElement.GetProperty("repair_would").EnumerateArray()).GetString());
    }

    /// <summary>
    /// A module that depends on hello on node <c>eu-1</c>: the rehearsal checks that dependency only
    /// for a node of that name, given with <c>--node-name</c>.
    /// </summary>
    [Fact]
    public void Node_name_says_which_node_the_start_is_rehearsed_for()
    {
        byte[] far = WasmBuilds.CodelessModule("""
            { "abi_version": 1, "name": "far", "version": "0.1.0", "visibility": "public", "authorities": [], "types": [], "tables": [],
              "reducers": [], "queries": [], "subscriptions": [], "dependencies": [{ "module": "hello", "version": "^0.1.0", "node": "eu-1" }] }
            """);
        using (var node = new Node(new NodeOptions { Durability = new DurabilityOptions(_directory) })) node.LoadModule(far);

        Assert.Equal(0, Verify().Exit);
        var (exit, output, _) = Verify("--node-name", "eu-1");
        Assert.Equal(1, exit);
        Assert.Contains("cannot be restored: cannot load module far: it depends on module hello ^0.1.0, which is not loaded on this node", output);
    }

    /// <summary>
    /// Names a damaged or hostile log carries reach verify's report (here in the reason a start
    /// fails): control characters in them are printed escaped, so the log cannot forge report lines.
    /// </summary>
    [Fact]
    public void Control_characters_in_names_from_the_log_are_printed_escaped()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 0, "evil\u001b[31m\nall valid", new byte[32], new byte[10]));
        }
        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.DoesNotContain("\u001b", output);
        Assert.Contains("evil\\u001b[31m\\u000aall valid", output);
        Assert.DoesNotContain(output.ReplaceLineEndings("\n").Split('\n'), l => l == "all valid");
    }

    /// <summary>
    /// Any file named *.wasm in <c>modules/</c> is checked and, when damaged, listed by name: a
    /// name with control characters is printed escaped, so it cannot forge report lines.
    /// </summary>
    [Fact]
    public void Control_characters_in_a_module_file_name_are_printed_escaped()
    {
        string modules = Path.Combine(_directory, "modules");
        Directory.CreateDirectory(modules);
        File.WriteAllBytes(Path.Combine(modules, "a\u001b[31mRED\nall valid.wasm"), [1, 2, 3]);
        var (exit, output, _) = Verify();
        Assert.Equal(1, exit);
        Assert.DoesNotContain("\u001b", output);
        Assert.Contains("a\\u001b[31mRED\\u000aall valid.wasm  3 bytes  DAMAGED: ", output);
        Assert.DoesNotContain(output.ReplaceLineEndings("\n").Split('\n'), l => l.StartsWith("all valid", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_arguments_are_usage_errors()
    {
        Assert.Equal(2, Repository.Cli("log", "verify").Exit);
        Assert.Equal(2, Repository.Cli("log", "verify", "--data-dir", _directory, "--yes").Exit);
        Assert.Equal(2, Repository.Cli("log", "verify", "--data-dir", _directory, "extra").Exit);
        Assert.Equal(2, Repository.Cli("log", "verify", "--data-dir", _directory, "--json", "--repair").Exit);
        var (badName, _, nameError) = Repository.Cli("log", "verify", "--data-dir", _directory, "--node-name", "9-lives");
        Assert.Equal(2, badName);
        Assert.Contains("--node-name: '9-lives' is not a node name", nameError);
        var (exit, _, error) = Repository.Cli("log", "verify", "--data-dir", Path.Combine(_directory, "absent"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", error);
    }

    /// <summary>Acknowledges module events and creates no tables: enough to log and snapshot node events alone.</summary>
    private sealed class NoTables : IRecoveryHandler
    {
        public void ModuleLoaded(Database database, ModuleLoadedRecord record) { }

        public void ModuleRemoved(Database database, ModuleRemovedRecord record) { }

        public void StartOver() { }

        public void ValidateRow(Table table, ReadOnlySpan<byte> row) { }
    }
}
