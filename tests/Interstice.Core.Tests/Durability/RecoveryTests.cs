using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability;

/// <summary>Replaying the log (and snapshots) rebuilds exactly the state the node had.</summary>
public class RecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name, long snapshotEvery = 0, SegmentRetention retention = SegmentRetention.Delete, long segmentSize = 64L << 20) =>
        new(_temp.Combine(name))
        {
            Policy = DurabilityPolicy.None,
            SnapshotEveryRecords = snapshotEvery,
            SnapshotEveryBytes = 0,
            SegmentSize = segmentSize,
            OldSegments = retention,
        };

    [Fact]
    public void An_empty_data_directory_recovers_to_an_empty_node()
    {
        using var node = new CommitPathHarness(Options("empty"));
        Assert.Equal(0ul, node.Recovered.LastTransactionId);
        Assert.Empty(node.Database.Tables);
        Assert.Null(node.Recovered.Snapshot);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(97)]
    public void Random_transactions_with_node_events_replay_to_the_same_state(long snapshotEvery)
    {
        var options = Options($"random-{snapshotEvery}", snapshotEvery, segmentSize: 16 << 10);
        string expected;
        ulong last;
        using (var node = new CommitPathHarness(options) { AwaitSnapshots = true })
        {
            var random = new Random(12345);
            node.LoadModule("game", "players", "items,autoinc", "sessions,ephemeral,autoinc");
            node.RandomTransactions(random, 300);
            node.LoadModule("bank", "accounts,autoinc", "audit,autoinc");
            node.RandomTransactions(random, 300);
            node.LoadModule("shop", "items");
            node.RandomTransactions(random, 200);
            node.RemoveModule("shop");
            node.RandomTransactions(random, 200);
            node.RemoveModule("bank");
            node.LoadModule("bank", "accounts");
            node.RandomTransactions(random, 300);
            node.Store.SnapshotInProgress?.Wait();
            expected = DatabaseDump.Of(node.Database);
            last = node.LastId;
        }
        var segments = LogFiles.Segments(options.DataDirectory);
        // With snapshots, the segments before the newest one were deleted.
        Assert.True(snapshotEvery > 0 ? segments[0].FirstTransactionId > 1 : segments.Count > 1);

        using var recovered = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(recovered.Database));
        Assert.Equal(last, recovered.Recovered.LastTransactionId);
        Assert.Equal(["game", "bank"], recovered.Recovered.Catalog.Modules.Select(m => m.Module));
        if (snapshotEvery > 0)
        {
            Assert.NotNull(recovered.Recovered.Snapshot);
            // Node events do not start snapshots: a few may come on top of the records between two.
            Assert.InRange(recovered.Recovered.RecordsReplayed, 1, snapshotEvery + 5);
        }
        else
        {
            Assert.Equal((long)last, recovered.Recovered.RecordsReplayed);
        }
    }

    [Fact]
    public void Ephemeral_tables_come_back_empty_with_their_sequence_reset_while_durable_sequences_continue()
    {
        var options = Options("ephemeral", snapshotEvery: 3);
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("lobby", "players,autoinc", "sessions,ephemeral,autoinc");
            for (int i = 0; i < 5; i++)
            {
                node.Insert(node.Table("lobby", "players"), new TestRow(0, i, $"p{i}"));
                node.Insert(node.Table("lobby", "sessions"), new TestRow(0, i, $"s{i}"));
            }
            node.Commit(tx => tx.Delete(node.Table("lobby", "players"), TestTables.U64(5)));
        }

        using var recovered = new CommitPathHarness(options);
        var players = recovered.Table("lobby", "players");
        var sessions = recovered.Table("lobby", "sessions");
        using (var view = recovered.Database.BeginReadOnly())
        {
            Assert.Equal([1ul, 2, 3, 4], TestTables.Ids(view.Scan(players)));
            Assert.Empty(TestTables.Ids(view.Scan(sessions)));
            Assert.Equal(6ul, view.NextSequenceValue(players));
            Assert.Equal(1ul, view.NextSequenceValue(sessions));
        }
        recovered.Insert(players, new TestRow(0, 0, "next"));
        using var after = recovered.Database.BeginReadOnly();
        Assert.Equal("next", TestTables.Get(after, players, 6)!.Name);
    }

    [Fact]
    public void The_handler_sees_every_node_event_in_order()
    {
        var options = Options("events");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            node.LoadModule("b", "u");
            node.LoadModule("c", "v");
            node.RemoveModule("c");
            node.RemoveModule("b");
        }
        using var recovered = new CommitPathHarness(options);
        Assert.Equal(["loaded a", "loaded b", "loaded c", "removed c", "removed b"], recovered.Handler.Calls);
        Assert.Equal(["a.t"], recovered.Database.Tables.Select(t => t.QualifiedName));
        Assert.Equal(["a"], recovered.Recovered.Catalog.Modules.Select(m => m.Module));
    }

    [Fact]
    public void A_record_for_a_table_that_does_not_exist_stops_recovery_with_its_location()
    {
        var options = Options("missing-table");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            node.Insert(node.Table("a", "t"), new TestRow(1, 1, "one"));
        }
        var error = Assert.Throws<RecoveryException>(() => LogRecovery.Recover(options, new Database(), new ForgetfulHandler()));
        Assert.Contains("transaction 2 changes table a.t, which does not exist", error.Message);
        Assert.Equal(LogFiles.Records(options.DataDirectory)[1].Offset, error.Offset);
    }

    [Fact]
    public void A_logged_change_that_contradicts_the_state_stops_recovery()
    {
        // Two logs whose records were made against different states: inserting id 1 twice.
        var options = Options("contradiction");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            node.Insert(node.Table("a", "t"), new TestRow(1, 1, "one"));
        }
        var database = new Database();
        var table = TestSchema.CreateTable(database, "a", "t");
        ChangeSet again;
        using (var tx = database.BeginTransaction())
        {
            tx.Insert(table, new TestRow(1, 2, "uno").Encode());
            again = tx.Commit();
        }
        using (var log = Interstice.Core.Durability.Log.CommitLog.Open(options)) log.AppendTransaction(3, 0, [], again);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.Contains("transaction 3 inserts into a.t a row with id = 1, which exists", error.Message);
    }

    [Fact]
    public void An_update_whose_logged_old_row_differs_from_the_current_row_stops_recovery()
    {
        var options = Options("divergent");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            node.Insert(node.Table("a", "t"), new TestRow(1, 1, "one"));
        }
        var database = new Database();
        var table = TestSchema.CreateTable(database, "a", "t");
        TestTables.Seed(database, table, new TestRow(1, 1, "ONE"));
        ChangeSet update;
        using (var tx = database.BeginTransaction())
        {
            tx.Update(table, new TestRow(1, 5, "ONE").Encode());
            update = tx.Commit();
        }
        using (var log = Interstice.Core.Durability.Log.CommitLog.Open(options)) log.AppendTransaction(3, 0, [], update);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.Contains("transaction 3 updates a row of a.t with id = 1 whose logged old contents differ", error.Message);
    }

    [Theory]
    [InlineData("update")]
    [InlineData("delete")]
    public void A_record_that_changes_one_row_twice_stops_recovery(string second)
    {
        var options = Options($"twice-{second}");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            node.Insert(node.Table("a", "t"), new TestRow(1, 1, "one", "x"));
            node.Insert(node.Table("a", "t"), new TestRow(4, 4, "four", "x"));
        }
        // No transaction logs this (it keeps one change per row), but a damaged or forged log can:
        // applied, the second change would work on a row the first had half changed.
        var table = TestSchema.CreateTable(new Database(), "a", "t");
        byte[] key = TestTables.U64(1);
        var current = new TestRow(1, 1, "one", "x").Encode();
        var firstChange = new RowChange(table, RowChangeKind.Update, key, current, new TestRow(1, 2, "uno1", "y").Encode());
        var secondChange = second == "update"
            ? new RowChange(table, RowChangeKind.Update, key, current, new TestRow(1, 3, "uno2", "z").Encode())
            : new RowChange(table, RowChangeKind.Delete, key, current, null);
        using (var log = Interstice.Core.Durability.Log.CommitLog.Open(options)) log.AppendTransaction(4, 0, [], new ChangeSet([firstChange, secondChange], [], true));

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));
        Assert.Contains("transaction 4 changes the row of a.t with id = 1 twice", error.Message);
        Assert.NotNull(error.File);
    }

    /// <summary>Acknowledges module events but creates no tables (nor drops them).</summary>
    private sealed class ForgetfulHandler : TestSchema.Handler
    {
        public override void ModuleLoaded(Database database, Interstice.Core.Durability.Records.ModuleLoadedRecord record) { }

        public override void ModuleRemoved(Database database, Interstice.Core.Durability.Records.ModuleRemovedRecord record) { }
    }
}
