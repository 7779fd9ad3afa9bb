using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A start that skips a snapshot whose content does not fit ends as a start that never saw it,
/// wherever loading it failed; and when the older state then fails too, the error still names it.
/// </summary>
public class SnapshotFallbackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Archive,
    };

    /// <summary>Module game (table players) loaded, 150 players, a snapshot (transaction 151), 50 more players; returns the snapshot.</summary>
    private static async Task<SnapshotFile> WriteHistory(DurabilityOptions options)
    {
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            var players = node.Table("game", "players");
            for (int i = 1; i <= 150; i++) node.Insert(players, Player(i));
            await node.Store.TakeSnapshot(node.Database);
            for (int i = 151; i <= 200; i++) node.Insert(players, Player(i));
        }
        return Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
    }

    private static TestRow Player(int i) => new((ulong)i, i, $"p{i}", new string('x', 40));

    /// <summary>The state a start reaches with <paramref name="snapshot"/> moved away (and put back).</summary>
    private static string CleanStart(DurabilityOptions options, SnapshotFile snapshot, Func<Database> database)
    {
        File.Move(snapshot.Path, snapshot.Path + ".away");
        try
        {
            var clean = database();
            LogRecovery.Recover(options, clean, new TestSchema.Handler());
            return DatabaseDump.Of(clean);
        }
        finally
        {
            File.Move(snapshot.Path + ".away", snapshot.Path);
        }
    }

    /// <summary>A database with the node-like table sys.given, whose sequence the node set to 5 before recovery.</summary>
    private static Database WithGivenTable()
    {
        var database = new Database();
        TestSchema.CreateTable(database, "sys", "given,autoinc").NextSequence = 5;
        return database;
    }

    [Fact]
    public async Task A_fallback_to_the_log_beginning_puts_a_given_tables_sequence_back_as_recovery_found_it()
    {
        var options = Options("sequence");
        var snapshot = await WriteHistory(options);
        // The unfit snapshot holds sys.given with its sequence moved to 42: loading it sets that.
        var state = new Database();
        TestSchema.CreateTable(state, "sys", "given,autoinc").NextSequence = 42;
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, state, new TestSchema.Handler());

        var database = WithGivenTable();
        var recovered = LogRecovery.Recover(options, database, new TestSchema.Handler());

        Assert.Single(recovered.UnfitSnapshots);
        Assert.Null(recovered.Snapshot);
        Assert.True(database.TryGetTable("sys", "given", out var given));
        Assert.Equal(5UL, given.NextSequence);
        Assert.Equal(CleanStart(options, snapshot, WithGivenTable), DatabaseDump.Of(database));
    }

    [Fact]
    public async Task A_given_table_that_holds_rows_is_refused_before_recovery_reads_anything()
    {
        var options = Options("given-rows");
        await WriteHistory(options);
        var database = new Database();
        var given = TestSchema.CreateTable(database, "sys", "given");
        using (var transaction = database.BeginTransaction())
        {
            TestTables.Insert(transaction, given, Player(1));
            TestTables.CommitAndApply(database, transaction);
        }

        var error = Assert.Throws<ArgumentException>(() => LogRecovery.Recover(options, database, new TestSchema.Handler()));
        Assert.StartsWith("table sys.given holds 1 rows before recovery: recovery fills empty tables", error.Message);
    }

    [Fact]
    public async Task A_snapshot_row_refused_in_the_middle_of_a_table_gives_way_to_the_log_and_the_state_is_a_clean_starts()
    {
        var options = Options("mid-table");
        var snapshot = await WriteHistory(options);
        var handler = new RefusesOnce(100);

        var database = new Database();
        var recovered = LogRecovery.Recover(options, database, handler);

        var unfit = Assert.Single(recovered.UnfitSnapshots);
        Assert.Equal(snapshot, unfit.File);
        Assert.Equal("invalid row for table game.players: the 100th row is refused", unfit.Reason);
        Assert.Null(recovered.Snapshot);
        Assert.Equal(201, recovered.RecordsReplayed);
        Assert.Equal(["loaded game", "start over", "loaded game"], handler.Calls);
        Assert.Equal(CleanStart(options, snapshot, () => new Database()), DatabaseDump.Of(database));
    }

    [Fact]
    public async Task A_snapshot_whose_rows_conflict_on_a_unique_index_gives_way_to_the_log_and_the_state_is_a_clean_starts()
    {
        var options = Options("unique");
        var snapshot = await WriteHistory(options);
        WriteDuplicateName(snapshot);

        var database = new Database();
        var recovered = LogRecovery.Recover(options, database, new TestSchema.Handler());

        var unfit = Assert.Single(recovered.UnfitSnapshots);
        Assert.Contains("by_name", unfit.Reason);
        Assert.Null(recovered.Snapshot);
        Assert.Equal(CleanStart(options, snapshot, () => new Database()), DatabaseDump.Of(database));
        // The table it emptied was dropped and built again: it takes rows.
        using var transaction = database.BeginTransaction();
        Assert.True(database.TryGetTable("game", "players", out var players));
        TestTables.Insert(transaction, players, Player(1000));
        TestTables.CommitAndApply(database, transaction);
    }

    /// <summary>
    /// Rewrites <paramref name="snapshot"/> with the state it held plus a player named like
    /// player 1 (its checksums hold; its rows break the unique index on name): built in a
    /// table without that index, from the catalog recovery finds.
    /// </summary>
    private static void WriteDuplicateName(SnapshotFile snapshot)
    {
        var catalog = new CatalogOnly();
        long timestamp = SnapshotReader.Read(snapshot, catalog).Timestamp;
        var database = new Database();
        var players = TestTables.Create(database, "game", "players", false,
            TestTables.Index("by_name", "name", IndexKind.Hash, unique: false),
            TestTables.Index("by_score", "score", IndexKind.BTree, unique: false),
            TestTables.Index("by_tag", "tag", IndexKind.Hash, unique: false));
        using (var transaction = database.BeginTransaction())
        {
            for (int i = 1; i <= 150; i++) TestTables.Insert(transaction, players, Player(i));
            TestTables.Insert(transaction, players, new TestRow(10_000, 1, "p1", "twin"));
            TestTables.CommitAndApply(database, transaction);
        }
        SnapshotWriter.Write(SnapshotCut.Capture(database, snapshot.LastTransactionId, catalog.Catalog!, timestamp), snapshot.Path);
        SnapshotReader.Read(snapshot, sink: null);
    }

    [Fact]
    public async Task When_the_fallback_then_meets_damage_in_the_log_the_error_names_the_unfit_snapshot_too()
    {
        var options = Options("unfit-damage");
        var snapshot = await WriteHistory(options);
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, new Database(), new TestSchema.Handler());
        // Damage in the first segment: only the fallback to the log's beginning reads it.
        var first = new DataDirectory(options.DataDirectory).ListSegments(includeArchive: true)[0];
        LogFiles.FlipByte(first.Path, 2000);

        var error = Assert.Throws<RecoveryException>(() => CommitPathHarness.RecoverOnly(options));

        var unfit = Assert.Single(error.UnfitSnapshots);
        Assert.Equal(snapshot, unfit.File);
        Assert.Equal(first.Path, error.File);
        Assert.IsType<CorruptDataException>(error.InnerException);
        Assert.Contains($"cannot recover: snapshot {snapshot.Path} does not fit (the snapshot holds table {MisfitSnapshot.Table}", error.Message);
        Assert.Contains("and the start from the older state stops: corrupt: ", error.Message);
    }

    [Fact]
    public async Task When_the_fallback_then_meets_a_logged_change_that_does_not_fit_the_error_names_the_unfit_snapshot_too()
    {
        var options = Options("unfit-change");
        var snapshot = await WriteHistory(options);
        // Rewritten from the whole log's state: the unfit snapshot holds all 200 players.
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshot, new Database(), new TestSchema.Handler());

        // The 210th row shown is the log's 10th insert, replayed after the fallback.
        var error = Assert.Throws<RecoveryException>(() => LogRecovery.Recover(options, new Database(), new RefusesOnce(210)));

        Assert.Equal(snapshot, Assert.Single(error.UnfitSnapshots).File);
        Assert.EndsWith(".log", error.File);
        Assert.IsType<RecoveryException>(error.InnerException);
        Assert.Contains($"cannot recover: snapshot {snapshot.Path} does not fit (the snapshot holds table {MisfitSnapshot.Table}", error.Message);
        Assert.Contains("and the start from the older state stops: ", error.Message);
        Assert.Contains("the 210th row is refused", error.Message);
    }

    /// <summary>The tests' handler, which refuses the <c>n</c>th row it is shown (once: a snapshot's row, not the log's).</summary>
    private sealed class RefusesOnce(int n) : TestSchema.Handler
    {
        private int _rows;

        public override void ValidateRow(Table table, ReadOnlySpan<byte> row)
        {
            if (++_rows == n) throw new InvalidRowException(table.QualifiedName, $"the {n}th row is refused");
            base.ValidateRow(table, row);
        }
    }

    private sealed class CatalogOnly : ISnapshotSink
    {
        public NodeCatalog? Catalog { get; private set; }

        void ISnapshotSink.Catalog(NodeCatalog catalog) => Catalog = catalog;

        public void Table(string module, string name, ulong nextSequence, long rowCount, long offset) { }

        public void Row(ReadOnlySpan<byte> row, long offset) { }
    }
}
