using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>Snapshots: a consistent cut, written atomically, loaded before the log; invalid ones are skipped when the log allows.</summary>
public class SnapshotTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name, SegmentRetention retention = SegmentRetention.Archive, int keep = 2) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 4096,
        OldSegments = retention,
        SnapshotsToKeep = keep,
    };

    /// <summary>Two snapshots with transactions before, between and after; returns the final state.</summary>
    private static string WriteHistory(DurabilityOptions options)
    {
        using var node = new CommitPathHarness(options);
        var random = new Random(99);
        node.LoadModule("game", "players", "items,autoinc", "sessions,ephemeral");
        node.RandomTransactions(random, 150);
        node.Store.TakeSnapshot(node.Database).Wait();
        node.RandomTransactions(random, 150);
        node.Store.TakeSnapshot(node.Database).Wait();
        node.RandomTransactions(random, 100);
        return DatabaseDump.Of(node.Database);
    }

    /// <summary>Deletes the segments wholly before <paramref name="snapshot"/> (as the earlier retention rule did), asserting there is one.</summary>
    private static void DeleteSegmentsBefore(DurabilityOptions options, SnapshotFile snapshot)
    {
        var segments = LogFiles.Segments(options.DataDirectory);
        int needed = LogRecovery.FirstSegmentAfter(segments, snapshot.LastTransactionId);
        Assert.True(needed > 0);
        for (int i = 0; i < needed; i++) File.Delete(segments[i].Path);
    }

    [Fact]
    public void Recovery_loads_the_newest_snapshot_and_replays_only_what_follows()
    {
        var options = Options("newest");
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal(2, snapshots.Count);

        using var node = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(node.Database));
        Assert.Equal(snapshots[^1], node.Recovered.Snapshot);
        Assert.Equal(100, node.Recovered.RecordsReplayed);
        Assert.True(node.Recovered.SnapshotRows > 0);
        Assert.Equal(["loaded game"], node.Handler.Calls);
    }

    [Fact]
    public async Task A_snapshot_holds_the_state_at_its_cut_while_later_commits_change_the_rows()
    {
        var hooks = new SnapshotGate();
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("cut")) with { Hooks = hooks };
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players", "items,autoinc");
        var players = node.Table("game", "players");
        var items = node.Table("game", "items");
        for (int i = 1; i <= 2000; i++) node.Insert(players, new TestRow((ulong)i, i, $"p{i}"));
        for (int i = 1; i <= 10; i++) node.Insert(items, new TestRow(0, i, $"i{i}"));
        string expected = DatabaseDump.Of(node.Database);

        // The snapshot thread stops after the cut, before it reads any row; meanwhile commits
        // update rows (some twice), delete rows, delete and insert again, insert new rows.
        hooks.Hold();
        var writing = node.Store.TakeSnapshot(node.Database);
        Assert.True(hooks.Reached.Wait(TimeSpan.FromSeconds(10)));
        for (int i = 1; i <= 2000; i += 4)
        {
            ulong id = (ulong)i;
            node.Commit(tx => tx.Update(players, new TestRow(id, -i, $"p{i}", "changed").Encode()));
            node.Commit(tx => tx.Update(players, new TestRow(id, -2 * i, $"p{i}", "twice").Encode()));
            node.Commit(tx => tx.Delete(players, TestTables.U64(id + 1)));
            node.Commit(tx => tx.Delete(players, TestTables.U64(id + 2)));
            node.Insert(players, new TestRow(id + 2, 0, $"back{i}"));
            node.Insert(players, new TestRow(id + 100_000, 0, $"new{i}"));
        }
        node.Insert(items, new TestRow(0, 99, "later"));
        node.Commit(tx => tx.Delete(items, TestTables.U64(1)));
        Assert.NotEqual(expected, DatabaseDump.Of(node.Database));
        hooks.Release();
        await writing;

        // What the snapshot holds is exactly the state at the cut.
        var restored = new Database();
        var snapshotOnly = new DataDirectory(_temp.Combine("cut-snapshot-only"));
        Directory.CreateDirectory(snapshotOnly.SnapshotDirectory);
        var snapshot = new DataDirectory(options.DataDirectory).ListSnapshots()[^1];
        File.Copy(snapshot.Path, snapshotOnly.SnapshotPath(snapshot.LastTransactionId));
        LogRecovery.Recover(new DurabilityOptions(snapshotOnly.Root), restored, new TestSchema.Handler());
        Assert.Equal(expected, DatabaseDump.Of(restored));
    }

    [Fact]
    public async Task Commits_copy_the_trees_a_snapshot_shares_only_until_it_is_written_or_has_failed()
    {
        var hooks = new SnapshotGate();
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("sharing")) with { Hooks = hooks };
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        var players = node.Table("game", "players");
        ulong id = 0;
        for (int i = 0; i < 500; i++) node.Insert(players, new TestRow(++id, i, $"p{id}"));
        // Whether an insert wrote the primary-key tree's root in place or copied it.
        bool InsertCopiesTheRoot()
        {
            var root = players.Rows.Root;
            node.Insert(players, new TestRow(++id, 0, $"p{id}"));
            return !ReferenceEquals(root, players.Rows.Root);
        }
        Assert.False(InsertCopiesTheRoot());

        hooks.Hold();
        var writing = node.Store.TakeSnapshot(node.Database);
        Assert.True(hooks.Reached.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(InsertCopiesTheRoot());
        Assert.False(InsertCopiesTheRoot());
        hooks.Release();
        await writing;
        Assert.False(InsertCopiesTheRoot());
        // The root was copied during the snapshot, so that says nothing of the release; the first
        // leaf was not (inserts go to the last), and after the release a delete writes it in place.
        var firstLeaf = FirstLeafOf(players.Rows);
        node.Commit(tx => tx.Delete(players, TestTables.U64(1)));
        Assert.Same(firstLeaf, FirstLeafOf(players.Rows));

        hooks.Fail = true;
        var failing = node.Store.TakeSnapshot(node.Database);
        await Assert.ThrowsAsync<IOException>(() => failing);
        Assert.False(InsertCopiesTheRoot());
    }

    [Fact]
    public async Task A_failed_snapshot_does_not_fail_the_commits_after_it_and_the_next_due_one_is_written()
    {
        var hooks = new SnapshotGate { Fail = true };
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new DurabilityOptions(_temp.Combine("failed")) { Policy = DurabilityPolicy.None, SnapshotEveryRecords = 10, SnapshotEveryBytes = 0, Hooks = hooks, Warning = warnings.Enqueue };
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        var players = node.Table("game", "players");
        ulong id = 0;
        for (int i = 0; i < 10; i++) node.Insert(players, new TestRow(++id, i, $"p{id}"));
        var failed = node.Store.LastSnapshot!;
        await Assert.ThrowsAsync<IOException>(() => failed.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(warnings, w => w.Contains("failed: injected snapshot failure", StringComparison.Ordinal));
        ulong failedAt = node.LastId;

        // The commits that make the next snapshot due go through (they used to rethrow the failure).
        hooks.Fail = false;
        for (int i = 0; i < 10; i++) node.Insert(players, new TestRow(++id, i, $"p{id}"));
        var next = node.Store.LastSnapshot!;
        Assert.NotSame(failed, next);
        await next.WaitAsync(TimeSpan.FromSeconds(30));
        var snapshot = Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
        Assert.InRange(snapshot.LastTransactionId, failedAt + 1, node.LastId);
    }

    [Fact]
    public async Task A_report_callback_that_throws_leaves_the_snapshot_published_and_is_a_warning()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = Options("report-throws") with
        {
            SnapshotWritten = _ => throw new InvalidOperationException("observer broke"),
            Warning = warnings.Enqueue,
        };
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        node.Insert(node.Table("game", "players"), new TestRow(1, 1, "p1"));
        await node.Store.TakeSnapshot(node.Database).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([node.LastId], new DataDirectory(options.DataDirectory).ListSnapshots().Select(s => s.LastTransactionId));
        Assert.Contains(warnings, w => w.EndsWith("the SnapshotWritten callback failed: observer broke", StringComparison.Ordinal));
    }

    private static object FirstLeafOf(BPlusTree<byte[]> tree)
    {
        var node = tree.Root;
        for (int level = tree.Height; level > 1; level--) node = ((BPlusTree<byte[]>.Branch)node).Children[0];
        return node;
    }

    /// <summary>Holds the snapshot thread after its cut until released; fails it when asked.</summary>
    private sealed class SnapshotGate : Interstice.Core.Durability.IO.LogFileHooks
    {
        private readonly ManualResetEventSlim _release = new(initialState: true);

        public ManualResetEventSlim Reached { get; } = new();

        public void Hold() => _release.Reset();

        public void Release() => _release.Set();

        /// <summary>Makes the snapshot fail after its cut, as a failed write would.</summary>
        public bool Fail { get; set; }

        public override void BeforeSnapshotWrite(ulong lastTransactionId)
        {
            Reached.Set();
            _release.Wait();
            if (Fail) throw new IOException("injected snapshot failure");
        }
    }

    [Fact]
    public void A_truncated_newest_snapshot_is_reported_and_the_previous_one_used()
    {
        var options = Options("truncated");
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        byte[] newest = File.ReadAllBytes(snapshots[^1].Path);

        // Every length through the header and catalog, then a spread over the rest (each a full recovery).
        int step = Math.Max(1, (newest.Length - 64) / 150);
        var lengths = Enumerable.Range(0, 64).Concat(Enumerable.Range(64, newest.Length - 64).Where(n => n % step == 0)).Append(newest.Length - 1);
        foreach (int length in lengths)
        {
            File.WriteAllBytes(snapshots[^1].Path, newest[..length]);
            var warnings = new List<string>();
            var database = new Database();
            var result = LogRecovery.Recover(new DurabilityOptions(options.DataDirectory) { Warning = warnings.Add }, database, new TestSchema.Handler());
            Assert.Equal(expected, DatabaseDump.Of(database));
            Assert.Equal(snapshots[0], result.Snapshot);
            Assert.Contains(warnings, w => w.Contains(Path.GetFileName(snapshots[^1].Path)) && w.Contains("is invalid"));
        }
    }

    [Fact]
    public void A_damaged_byte_anywhere_in_the_newest_snapshot_makes_recovery_use_the_previous_one()
    {
        var options = Options("damaged");
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        byte[] newest = File.ReadAllBytes(snapshots[^1].Path);

        int step = Math.Max(1, (newest.Length - 200) / 150);
        for (int position = 0; position < newest.Length; position += position < 200 ? 1 : step)
        {
            var damaged = (byte[])newest.Clone();
            damaged[position] ^= 0x10;
            File.WriteAllBytes(snapshots[^1].Path, damaged);
            var database = new Database();
            var result = LogRecovery.Recover(new DurabilityOptions(options.DataDirectory), database, new TestSchema.Handler());
            Assert.Equal(snapshots[0], result.Snapshot);
            Assert.Equal(expected, DatabaseDump.Of(database));
            Assert.Single(result.Warnings);
        }
    }

    [Fact]
    public void With_the_default_retention_a_damaged_newest_snapshot_falls_back_to_the_older_kept_one()
    {
        // Segments are deleted (the default), yet only those wholly before the oldest kept snapshot.
        var options = Options("fallback", SegmentRetention.Delete);
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal(2, snapshots.Count);
        LogFiles.FlipByte(snapshots[^1].Path, 100);

        var database = new Database();
        var result = LogRecovery.Recover(options, database, new TestSchema.Handler());
        Assert.Equal(expected, DatabaseDump.Of(database));
        Assert.Equal(snapshots[0], result.Snapshot);
        Assert.Contains(result.Warnings, w => w.Contains(Path.GetFileName(snapshots[^1].Path)) && w.Contains("is invalid"));
    }

    [Fact]
    public void When_the_only_snapshot_kept_is_damaged_and_the_log_before_it_is_gone_recovery_says_so()
    {
        var options = Options("only-one", SegmentRetention.Delete, keep: 1);
        WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Single(snapshots);
        LogFiles.FlipByte(snapshots[0].Path, 100);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.Contains("does not reach back to the beginning (no usable snapshot)", error.Message);
        Assert.Contains(Path.GetFileName(LogFiles.Segments(options.DataDirectory)[0].Path), error.Message);
    }

    [Fact]
    public void When_the_log_no_longer_reaches_the_previous_snapshot_recovery_names_it()
    {
        // A directory retired by the earlier rule (segments wholly before the newest snapshot deleted).
        var options = Options("gap", SegmentRetention.Delete);
        WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        DeleteSegmentsBefore(options, snapshots[^1]);
        LogFiles.FlipByte(snapshots[^1].Path, 100);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.Contains("does not reach back to snapshot", error.Message);
        Assert.Contains(Path.GetFileName(snapshots[0].Path), error.Message);
    }

    [Fact]
    public void A_newest_snapshot_whose_content_does_not_fit_gives_way_to_the_older_one_and_the_log()
    {
        var options = Options("unfit");
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal(2, snapshots.Count);
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshots[^1], new Database(), new TestSchema.Handler());

        using var node = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(node.Database));
        Assert.Equal(snapshots[0], node.Recovered.Snapshot);
        var misfit = Assert.Single(node.Recovered.UnfitSnapshots);
        Assert.Equal(snapshots[^1], misfit.File);
        Assert.Equal($"the snapshot holds table {MisfitSnapshot.Table}, which its catalog's modules did not create", misfit.Reason);
        Assert.Equal($"snapshot {snapshots[^1].Path} does not fit ({misfit.Reason} at byte {misfit.Offset}); trying an older one", Assert.Single(node.Recovered.Warnings));
        // The newest snapshot's tables were created and filled, then dropped before the older one was loaded.
        Assert.Equal(["loaded game", "start over", "loaded game"], node.Handler.Calls);
        Assert.True(File.Exists(snapshots[^1].Path));
    }

    [Fact]
    public void When_the_newest_snapshot_does_not_fit_and_the_log_no_longer_reaches_the_older_one_recovery_names_both_and_changes_nothing()
    {
        var options = Options("unfit-gap", SegmentRetention.Delete);
        WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        DeleteSegmentsBefore(options, snapshots[^1]);
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshots[^1], new Database(), new TestSchema.Handler());
        var before = LogFiles.Hashes(options.DataDirectory);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.StartsWith($"cannot recover: snapshot {snapshots[^1].Path} does not fit (the snapshot holds table {MisfitSnapshot.Table}", error.Message);
        Assert.Contains("), and the log starts after transaction ", error.Message);
        Assert.Contains($"so it does not reach back to snapshot {snapshots[0].Path} (transaction {snapshots[0].LastTransactionId})", error.Message);
        Assert.Equal(before, LogFiles.Hashes(options.DataDirectory));
    }

    [Fact]
    public void Without_any_valid_snapshot_an_archived_log_replays_from_the_beginning()
    {
        var options = Options("all-invalid");
        string expected = WriteHistory(options);
        foreach (var snapshot in new DataDirectory(options.DataDirectory).ListSnapshots()) LogFiles.FlipByte(snapshot.Path, 50);

        using var node = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(node.Database));
        Assert.Null(node.Recovered.Snapshot);
        Assert.Equal(2, node.Recovered.Warnings.Count);
    }

    [Fact]
    public void A_snapshot_file_renamed_to_another_transaction_is_invalid()
    {
        var options = Options("renamed");
        string expected = WriteHistory(options);
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        File.Move(snapshots[^1].Path, new DataDirectory(options.DataDirectory).SnapshotPath(snapshots[^1].LastTransactionId + 1));

        using var node = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(node.Database));
        Assert.Contains(node.Recovered.Warnings, w => w.Contains("named for transaction"));
    }

    [Fact]
    public async Task A_snapshot_is_due_after_the_configured_number_of_records_and_written_in_the_background()
    {
        var options = new DurabilityOptions(_temp.Combine("due")) { Policy = DurabilityPolicy.None, SnapshotEveryRecords = 50, SnapshotEveryBytes = 0 };
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            for (int i = 1; i <= 120; i++)
            {
                node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"p{i}"));
                // Wait for each snapshot, so that none is skipped for being still in progress.
                if (node.Store.SnapshotInProgress is { } writing) await writing;
            }
        }
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal([50ul, 100], snapshots.Select(s => s.LastTransactionId));
    }

    [Fact]
    public async Task No_snapshot_is_written_when_nothing_happened_since_the_last_one()
    {
        var options = Options("idle");
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        await node.Store.TakeSnapshot(node.Database);
        var before = new DataDirectory(options.DataDirectory).ListSnapshots();
        await node.Store.TakeSnapshot(node.Database);
        Assert.Equal(before, new DataDirectory(options.DataDirectory).ListSnapshots());
    }

    [Fact]
    public async Task The_catalog_in_a_snapshot_recreates_modules_whose_load_is_no_longer_in_the_log()
    {
        var options = Options("catalog", SegmentRetention.Delete);
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t", "extra");
            node.LoadModule("b", "u");
            node.RemoveModule("b");
            for (int i = 1; i <= 300; i++) node.Insert(node.Table("a", "extra"), new TestRow((ulong)i, i, $"x{i}", new string('p', 40)));
            await node.Store.TakeSnapshot(node.Database);
            node.Insert(node.Table("a", "t"), new TestRow(1, 1, "after"));
        }
        Assert.True(LogFiles.Segments(options.DataDirectory)[0].FirstTransactionId > 1);

        using var recovered = new CommitPathHarness(options);
        Assert.Equal(["loaded a"], recovered.Handler.Calls);
        Assert.Equal(["a.t", "a.extra"], recovered.Database.Tables.Select(t => t.QualifiedName));
        using var view = recovered.Database.BeginReadOnly();
        Assert.Equal(300, view.Count(recovered.Table("a", "extra")));
        Assert.Equal("after", TestTables.Get(view, recovered.Table("a", "t"), 1)!.Name);
    }

}
