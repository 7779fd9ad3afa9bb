using System.Security.Cryptography;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;
using Interstice.Wasm;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>The verifier finds what recovery would find, and its repair leaves a log that recovers.</summary>
public class LogVerifierTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Archive,
    };

    private static async Task WriteHistory(DurabilityOptions options, bool snapshot = true)
    {
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        var players = node.Table("game", "players");
        for (int i = 1; i <= 150; i++) node.Insert(players, new TestRow((ulong)i, i, $"p{i}", new string('x', 40)));
        if (snapshot) await node.Store.TakeSnapshot(node.Database);
        for (int i = 151; i <= 200; i++) node.Insert(players, new TestRow((ulong)i, i, $"p{i}", new string('x', 40)));
    }

    [Fact]
    public async Task A_snapshot_whose_content_does_not_fit_is_found_by_the_start_rehearsal_which_writes_nothing()
    {
        var options = Options("unfit");
        await WriteHistory(options);
        var snapshot = Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, new Database(), new TestSchema.Handler());
        var before = LogFiles.Hashes(options.DataDirectory);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.False(report.IsHealthy);
        Assert.Null(report.Snapshots[0].Problem);
        var restore = report.Restore!;
        var unfit = Assert.Single(restore.UnfitSnapshots);
        Assert.Equal(snapshot, unfit.File);
        Assert.Equal($"the snapshot holds table {MisfitSnapshot.Table}, which its catalog's modules did not create", unfit.Reason);
        // The start falls back to the log's beginning and replays all of it.
        Assert.Null(restore.Snapshot);
        Assert.Equal(201, restore.RecordsReplayed);
        Assert.Null(restore.Failure);
        Assert.Empty(LogVerifier.PlanRepair(report));
        Assert.Equal(before, LogFiles.Hashes(options.DataDirectory));
    }

    [Fact]
    public async Task A_healthy_directory_verifies_clean()
    {
        var options = Options("healthy");
        await WriteHistory(options);
        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.True(report.IsHealthy);
        Assert.Equal(201, report.Records);
        Assert.Contains(report.Segments, s => s.Retired);
        Assert.Contains(report.Segments, s => !s.Retired);
        var snapshot = Assert.Single(report.Snapshots);
        Assert.Equal((1, 150L, 1), (snapshot.Tables, snapshot.Rows, snapshot.Modules));
        Assert.Empty(LogVerifier.PlanRepair(report));
    }

    [Fact]
    public async Task A_torn_tail_is_reported_and_repaired_by_truncation()
    {
        var options = Options("torn");
        await WriteHistory(options);
        var last = LogFiles.Records(options.DataDirectory)[^1];
        LogFiles.Truncate(last.Segment, last.Offset + 3);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.False(report.IsHealthy);
        Assert.Equal(last.Offset, report.TornTail!.Value.Offset);
        var plan = LogVerifier.PlanRepair(report);
        Assert.Contains($"truncate {last.Segment} at byte {last.Offset}", Assert.Single(plan));

        LogVerifier.Repair(report);
        Assert.True(LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler()).IsHealthy);
        Assert.Equal(last.Offset, new FileInfo(last.Segment).Length);
        var kept = Assert.Single(Directory.GetFiles(new DataDirectory(options.DataDirectory).QuarantineDirectory));
        Assert.Equal(3, new FileInfo(kept).Length);
    }

    [Fact]
    public async Task Corruption_in_the_middle_is_repaired_by_cutting_the_log_there_and_keeping_the_rest_in_quarantine()
    {
        var options = Options("corrupt");
        await WriteHistory(options, snapshot: false);
        var records = LogFiles.Records(options.DataDirectory);
        var damaged = records[120];
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + 30);
        var later = LogFiles.Segments(options.DataDirectory).Where(s => string.CompareOrdinal(s.Path, damaged.Segment) > 0).ToList();
        Assert.NotEmpty(later);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Equal((damaged.Segment, damaged.Offset), (report.Corruption!.File, report.Corruption.Offset));
        Assert.Contains(report.Segments, s => !s.Verified);
        // What the cut takes with it: the valid records after the damaged one (transaction 121), in its segment and the later ones.
        Assert.Equal(new RecordsAfterDamage(80, 122, 201, Complete: true), report.AfterDamage);
        Assert.Contains("leave the log with it: 80 valid records (transactions 122..201)", LogVerifier.PlanRepair(report)[0]);

        var done = LogVerifier.Repair(report);
        Assert.Equal(1 + later.Count, done.Count);
        Assert.True(LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler()).IsHealthy);
        Assert.All(later, s => Assert.False(File.Exists(s.Path)));
        Assert.Equal(1 + later.Count, Directory.GetFiles(new DataDirectory(options.DataDirectory).QuarantineDirectory).Length);

        // The repaired log recovers to the state before the damaged transaction (120: the module load is record 0).
        using var node = new CommitPathHarness(options);
        Assert.Equal(120ul, node.Recovered.LastTransactionId);
        using var view = node.Database.BeginReadOnly();
        Assert.Equal(119, view.Count(node.Table("game", "players")));
    }

    [Fact]
    public async Task After_a_damaged_segment_header_the_count_includes_that_segments_records()
    {
        var options = Options("header");
        await WriteHistory(options, snapshot: false);
        var records = LogFiles.Records(options.DataDirectory);
        string second = LogFiles.Segments(options.DataDirectory)[1].Path;
        int firstInSecond = records.FindIndex(r => r.Segment == second);
        LogFiles.FlipByte(second, 10);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Equal(second, report.Corruption!.File);
        long after = records.Count - firstInSecond;
        Assert.Equal(new RecordsAfterDamage(after, (ulong)firstInSecond + 1, (ulong)records.Count, Complete: true), report.AfterDamage);
        Assert.Contains($"(its header is damaged) to {new DataDirectory(options.DataDirectory).QuarantineDirectory} (the valid records after the damage", LogVerifier.PlanRepair(report)[0]);
    }

    [Fact]
    public async Task The_count_after_damage_stops_at_more_damage_and_says_so()
    {
        var options = Options("twice");
        await WriteHistory(options, snapshot: false);
        var records = LogFiles.Records(options.DataDirectory);
        LogFiles.FlipByte(records[120].Segment, records[120].Offset + 30);
        LogFiles.FlipByte(records[125].Segment, records[125].Offset + 30);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Equal(new RecordsAfterDamage(4, 122, 125, Complete: false), report.AfterDamage);
        Assert.Equal("at least 4 valid records (transactions 122..125, until more damage)", report.AfterDamage.ToString());
    }

    [Fact]
    public async Task An_invalid_snapshot_is_reported_and_moved_to_quarantine()
    {
        var options = Options("snapshot");
        await WriteHistory(options);
        var snapshot = new DataDirectory(options.DataDirectory).ListSnapshots()[0];
        LogFiles.Truncate(snapshot.Path, new FileInfo(snapshot.Path).Length - 1);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        var check = Assert.Single(report.Snapshots);
        Assert.Contains("block of 4 bytes runs past the end", check.Problem!.Reason);
        // Without it, the log must be read from the beginning: the archive still has it.
        Assert.Null(report.CoverageProblem);
        Assert.All(report.Segments, s => Assert.False(s.Retired));

        LogVerifier.Repair(report);
        Assert.False(File.Exists(snapshot.Path));
        Assert.True(LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler()).IsHealthy);
    }

    [Fact]
    public async Task A_log_that_does_not_reach_back_to_a_valid_snapshot_is_reported()
    {
        var options = Options("coverage");
        await WriteHistory(options);
        var directory = new DataDirectory(options.DataDirectory);
        Directory.Delete(directory.ArchiveDirectory, recursive: true);
        File.Delete(directory.ListSnapshots()[0].Path);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Contains("no valid snapshot holds what came before", report.CoverageProblem);
        // The rehearsal stops for the same reason (log verify then prints only the coverage line).
        Assert.True(report.Restore!.FailureIsLogGap);
        Assert.False(report.IsHealthy);
        Assert.Empty(LogVerifier.PlanRepair(report));
    }

    [Fact]
    public void A_missing_data_directory_is_an_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() => LogVerifier.Verify(_temp.Combine("nowhere")));
    }

    [Fact]
    public async Task A_file_gone_during_the_start_rehearsal_is_reported_as_a_changed_directory_and_the_rest_of_the_report_stands()
    {
        var options = Options("gone-rehearsal");
        await WriteHistory(options);
        var directory = new DataDirectory(options.DataDirectory);
        int segments = directory.ListSegments(includeArchive: true).Count;

        // As a running node's retention would: the live segments go once the rehearsal has listed them.
        var report = LogVerifier.Verify(options.DataDirectory, new DeletesLogOnLoad(directory));

        var restore = report.Restore!;
        Assert.StartsWith("the directory changed while verifying (is a node running on it?): ", restore.Interrupted);
        Assert.Null(restore.Failure);
        Assert.False(restore.IsClean);
        Assert.False(report.IsHealthy);
        Assert.Equal(segments, report.Segments.Count);
        Assert.All(report.Segments, s => Assert.True(s.Verified && s.Problem == null));
        Assert.Null(Assert.Single(report.Snapshots).Problem);
        Assert.Null(report.Corruption);
    }

    [Fact]
    public async Task Files_gone_between_the_listing_and_the_frame_check_are_left_out_and_reported_as_a_changed_directory()
    {
        var options = Options("gone-frames");
        await WriteHistory(options);
        var directory = new DataDirectory(options.DataDirectory);
        var snapshots = directory.ListSnapshots();
        var segments = directory.ListSegments(includeArchive: true);
        File.Delete(snapshots[0].Path);
        File.Delete(segments[^1].Path);

        var report = LogVerifier.Verify(directory, snapshots, segments, new TestSchema.Handler(), new NodeOptions());

        Assert.StartsWith("the directory changed while verifying (is a node running on it?): ", report.DirectoryChanged);
        Assert.Empty(report.Snapshots);
        Assert.Equal(segments.Count, report.Segments.Count);
        Assert.False(report.Segments[^1].Verified);
        Assert.All(report.Segments.Take(segments.Count - 1), s => Assert.True(s.Verified));
        Assert.Null(report.CoverageProblem);
        Assert.Null(report.Corruption);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public async Task A_live_segment_gone_mid_read_is_not_reported_as_a_log_that_ends_before_the_snapshot()
    {
        var options = Options("gone-live");
        await WriteHistory(options);
        var directory = new DataDirectory(options.DataDirectory);
        var snapshots = directory.ListSnapshots();
        var segments = directory.ListSegments(includeArchive: true);
        File.Delete(segments[^1].Path);

        var report = LogVerifier.Verify(directory, snapshots, segments, new TestSchema.Handler(), new NodeOptions());

        Assert.NotNull(report.DirectoryChanged);
        Assert.Single(report.Snapshots);
        Assert.Null(report.CoverageProblem);
        Assert.False(report.IsHealthy);
    }

    [Fact]
    public async Task Files_only_checks_the_files_without_rehearsing_a_start()
    {
        var options = Options("files-only");
        await WriteHistory(options);
        var snapshot = Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, new Database(), new TestSchema.Handler());

        // The files are sound: only a start finds that the snapshot does not fit.
        var files = LogVerifier.Verify(options.DataDirectory, handler: null);
        Assert.False(files.StartRehearsed);
        Assert.Null(files.Restore);
        Assert.True(files.IsHealthy);
        Assert.Equal(201, files.Records);
        Assert.True(LogVerifier.Verify(options.DataDirectory, rehearseStart: false).IsHealthy);

        var rehearsed = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.True(rehearsed.StartRehearsed);
        Assert.Single(rehearsed.Restore!.UnfitSnapshots);
        Assert.False(rehearsed.IsHealthy);
    }

    [Fact]
    public async Task When_the_fallback_meets_damage_the_rehearsal_still_names_the_unfit_snapshot()
    {
        var options = Options("unfit-damage");
        await WriteHistory(options);
        var snapshot = Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, new Database(), new TestSchema.Handler());
        var first = new DataDirectory(options.DataDirectory).ListSegments(includeArchive: true)[0];
        LogFiles.FlipByte(first.Path, 2000);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());

        // The damage is in a segment before the snapshot (retired): only the fallback reads it.
        Assert.Null(report.Corruption);
        Assert.NotNull(report.Segments[0].Problem);
        var restore = report.Restore!;
        Assert.Equal(snapshot, Assert.Single(restore.UnfitSnapshots).File);
        Assert.Contains("and the start from the older state stops: corrupt: ", restore.Failure);
        Assert.False(restore.FailureIsLogGap);
    }

    /// <summary>
    /// Writes what a node's load of a module logs, but with <paramref name="logged"/> as the
    /// schema the module's tables are created with (a node logs the one its binary declares):
    /// the load event, then the module's row of <c>interstice.modules</c> (loaded); and keeps
    /// <paramref name="binary"/> in <c>modules/</c> under its own SHA-256, which it returns.
    /// </summary>
    private static string LogModuleLoad(DurabilityOptions options, byte[] binary, ModuleSchema logged)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(binary));
        new ModuleStore(options.DataDirectory).Save(hash, binary);
        using var log = new NodeLogWriter(options);
        log.Loads(logged, hash);
        return hash;
    }

    private static ModuleSchema SchemaOf(byte[] binary) => ModuleContract.Read(binary, new Engine()).Schema;

    /// <summary>The start the rehearsal stands for: a node on the directory, which must fail.</summary>
    private static RecoveryException StartFails(DurabilityOptions options, Func<NodeOptions, NodeOptions>? configure = null) =>
        Assert.Throws<RecoveryException>(() => new TestNode(o => (configure?.Invoke(o) ?? o) with { Durability = options }));

    [Fact]
    public void A_binary_that_does_not_declare_its_logged_tables_is_named_by_verify_and_refused_by_a_start_for_the_same_reason()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("misfit-tables"));
        byte[] hello = ExampleModules.Load("hello");
        var declared = SchemaOf(hello);
        // Logged without the unique index on `name` that the binary declares.
        string hash = LogModuleLoad(options, hello, declared with { Tables = [declared.Tables[0] with { Indexes = [] }] });

        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Null(report.Restore!.Failure);
        var needed = Assert.Single(report.Restore.Modules);
        Assert.Equal(("hello", "0.1.0", hash), (needed.Name, needed.Version, needed.Hash));
        Assert.Equal(
            "cannot be restored: cannot load module hello: table `greetings` holds data from the module's last load and the new binary declares it differently; " +
            "the node does not migrate data: remove the module first",
            needed.Problem);
        // Only the rehearsal compiles: the files are sound.
        Assert.True(LogVerifier.Verify(options.DataDirectory, rehearseStart: false).IsHealthy);

        var start = StartFails(options);
        Assert.Equal($"{needed.Path}: module `hello` 0.1.0 (sha-256 {hash}) {needed.Problem}", start.Message);
    }

    /// <summary>
    /// Two modules logged as loaded that both claim authority <c>Gpu</c> (what no node writes: its
    /// load refuses the second): the rehearsal restores them in order and names the second as the
    /// start does, since the first restored holds the authority.
    /// </summary>
    [Fact]
    public void A_module_claiming_an_authority_a_module_restored_before_it_holds_is_named_by_verify_and_refused_by_a_start()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("authority"));
        byte[] painter = GuestModule.Build("painter", $"(module {GuestModule.Runtime})", authorities: """["Gpu"]""");
        byte[] sketcher = GuestModule.Build("sketcher", $"(module {GuestModule.Runtime})", authorities: """["Gpu"]""");
        LogModuleLoad(options, painter, SchemaOf(painter));
        string hash = LogModuleLoad(options, sketcher, SchemaOf(sketcher));

        var report = LogVerifier.Verify(options.DataDirectory, rehearseStart: true, new NodeOptions { GrantableAuthorities = new HashSet<string> { "Gpu" } });
        Assert.False(report.IsHealthy);
        Assert.Null(report.Restore!.Failure);
        Assert.Null(report.Restore.Modules.Single(m => m.Name == "painter").Problem);
        var needed = report.Restore.Modules.Single(m => m.Name == "sketcher");
        Assert.Equal("cannot be restored: cannot load module sketcher: authority `Gpu` is held by module painter; unload it first", needed.Problem);

        var start = StartFails(options, o => o with { GrantableAuthorities = new HashSet<string> { "Gpu" } });
        Assert.Equal($"{needed.Path}: module `sketcher` 0.1.0 (sha-256 {hash}) {needed.Problem}", start.Message);
    }

    [Theory]
    [InlineData("no schema section", "is not a module: the module has no 'interstice.schema' custom section: it was not built as an Interstice module (interstice_module!())")]
    [InlineData("not WebAssembly", "is not a module: not a valid WebAssembly module: ")]
    public void A_binary_that_hashes_right_but_is_not_a_module_is_named_by_verify_and_refused_by_a_start_for_the_same_reason(string what, string problem)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("not-a-module"));
        byte[] binary = what == "not WebAssembly" ? "not a module"u8.ToArray() : [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        string hash = LogModuleLoad(options, binary, SchemaOf(ExampleModules.Load("hello")));

        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Null(Assert.Single(report.ModuleBinaries).Problem);
        var needed = Assert.Single(report.Restore!.Modules);
        Assert.Equal(hash, needed.Hash);
        Assert.StartsWith(problem, needed.Problem);

        var start = StartFails(options);
        Assert.Equal($"{needed.Path}: module `hello` 0.1.0 (sha-256 {hash}) was loaded, but its stored binary {needed.Problem}", start.Message);
    }

    [Fact]
    public void A_module_restored_after_the_one_it_depends_on_though_its_tables_are_older_verifies_clean_and_starts()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("depends"));
        using (var t = new TestNode(o => o with { Durability = options }, "hello", "caller"))
        {
            // hello's tables made again after caller's: a start must still restore hello first.
            t.Node.UnloadModule("caller");
            t.Node.RemoveModule("hello");
            t.Node.LoadModule(ExampleModules.Load("hello"));
            t.Node.LoadModule(ExampleModules.Load("caller"));
        }

        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.True(report.IsHealthy, string.Join("; ", report.Restore!.Modules.Select(m => $"{m.Name}: {m.Problem}")));
        Assert.Equal(["caller", "hello"], report.Restore.Modules.Select(m => m.Name));
        using var started = new TestNode(o => o with { Durability = options });
        Assert.Equal(["hello", "caller"], started.Node.Modules.Select(m => m.Name));
    }

    [Fact]
    public void A_module_whose_dependency_is_elsewhere_is_checked_as_the_named_node_would_check_it()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("node-name"));
        byte[] far = GuestModule.Build("far", $"(module {GuestModule.Runtime})",
            dependencies: """[{ "module": "hello", "version": "^0.1.0", "node": "eu-1" }]""");
        using (var t = new TestNode(o => o with { Durability = options })) t.Node.LoadModule(far);

        Assert.True(LogVerifier.Verify(options.DataDirectory).IsHealthy);
        var onEu1 = new NodeOptions { NodeName = "eu-1" };
        var needed = Assert.Single(LogVerifier.Verify(options.DataDirectory, rehearseStart: true, onEu1).Restore!.Modules);
        Assert.Equal("cannot be restored: cannot load module far: it depends on module hello ^0.1.0, which is not loaded on this node: load it first", needed.Problem);
        var start = StartFails(options, o => o with { NodeName = "eu-1" });
        Assert.Equal($"{needed.Path}: module `far` 0.1.0 (sha-256 {needed.Hash}) {needed.Problem}", start.Message);
    }

    [Fact]
    public void Options_a_node_refuses_are_refused_by_verify_before_it_reads_the_directory()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("refused-options"));
        using (new TestNode(o => o with { Durability = options }, "hello")) { }

        var named = Assert.Throws<ArgumentException>(() => LogVerifier.Verify(options.DataDirectory, rehearseStart: true, new NodeOptions { NodeName = "9 lives" }));
        Assert.StartsWith("'9 lives' is not a node name", named.Message);
        var nodeError = Assert.Throws<ArgumentException>(() => new Core.Node(new NodeOptions { NodeName = "9 lives" }));
        Assert.Equal(nodeError.Message, named.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LogVerifier.Verify(options.DataDirectory, rehearseStart: false, new NodeOptions { MaxSubscriptionDepth = 0 }));
    }

    [Fact]
    public void A_module_whose_authority_the_node_does_not_grant_is_named_by_verify_with_that_node_s_options()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("authority"));
        using (new TestNode(o => o with { Durability = options }, "bank", "auction")) { }

        Assert.True(LogVerifier.Verify(options.DataDirectory).IsHealthy);
        var grantsNone = new NodeOptions { GrantableAuthorities = new HashSet<string>() };
        var report = LogVerifier.Verify(options.DataDirectory, rehearseStart: true, grantsNone);
        var auction = Assert.Single(report.Restore!.Modules, m => m.Problem != null);
        Assert.Equal("cannot be restored: cannot load module auction: authority `Scheduler` cannot be granted by this node (it grants: none)", auction.Problem);
        var start = StartFails(options, o => o with { GrantableAuthorities = new HashSet<string>() });
        Assert.Equal($"{auction.Path}: module `auction` 0.1.0 (sha-256 {auction.Hash}) {auction.Problem}", start.Message);
    }

    /// <summary>The tests' handler, which deletes the live log segments when the first module is loaded (from the snapshot, before the replay opens them).</summary>
    private sealed class DeletesLogOnLoad(DataDirectory directory) : TestSchema.Handler
    {
        public override void ModuleLoaded(Database database, ModuleLoadedRecord record)
        {
            foreach (var segment in directory.ListSegments()) File.Delete(segment.Path);
            base.ModuleLoaded(database, record);
        }
    }
}
