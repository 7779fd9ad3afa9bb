using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Replay gathers runs of insert-only transactions into empty tables and fills each table at
/// once, and a snapshot fills each table at once: the state is the one row-by-row replay
/// builds, and a row that takes another's unique key is still found, naming its transaction.
/// </summary>
public class InsertRunTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 64 << 10,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Runs_of_inserts_between_other_changes_replay_to_the_same_state(bool snapshotMidway)
    {
        var options = Options($"runs-{snapshotMidway}");
        string expected;
        using (var node = new CommitPathHarness(options))
        {
            var random = new Random(7);
            node.LoadModule("game", "players", "items,autoinc");
            var players = node.Table("game", "players");
            var items = node.Table("game", "items");
            ulong id = 0;
            void Inserts(int transactions)
            {
                for (int t = 0; t < transactions; t++)
                {
                    int rows = random.Next(1, 40);
                    node.Commit(tx =>
                    {
                        for (int r = 0; r < rows; r++)
                        {
                            id += 2;
                            TestTables.Insert(tx, players, new TestRow(id, random.Next(-9, 9), $"p{id}", $"t{random.Next(4)}"));
                            if (random.Next(2) == 0) TestTables.Insert(tx, items, new TestRow(0, random.Next(-9, 9), $"i{id}", "x"));
                        }
                    });
                }
            }
            Inserts(30);
            // A key below the run's last one (ids go up by two) ends the run: this transaction goes row by row.
            node.Insert(players, new TestRow(id - 1, 0, "behind", "t9"));
            Inserts(10);
            if (snapshotMidway) await node.Store.TakeSnapshot(node.Database);
            for (int t = 0; t < 100; t++)
            {
                ulong target = (ulong)random.NextInt64(1, (long)id + 1);
                node.Commit(tx =>
                {
                    if (TestTables.Get(tx, players, target) is not { } row) return;
                    if (random.Next(2) == 0) tx.Update(players, (row with { Score = random.Next(-9, 9), Name = $"u{t}" }).Encode());
                    else tx.Delete(players, TestTables.U64(target));
                });
            }
            Inserts(20);
            expected = DatabaseDump.Of(node.Database);
        }

        using var recovered = new CommitPathHarness(options);
        Assert.Equal(expected, DatabaseDump.Of(recovered.Database));
        foreach (var table in recovered.Database.Tables) table.CheckInvariants();
    }

    [Theory]
    [InlineData(IndexKind.Hash)]
    [InlineData(IndexKind.BTree)]
    public void A_gathered_row_that_takes_another_rows_unique_key_stops_replay_naming_its_transaction(IndexKind kind)
    {
        var options = Options($"conflict-{kind}");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            var table = node.Table("a", "t");
            node.Insert(table, new TestRow(1, 1, "one", "red"));
            node.Insert(table, new TestRow(2, 2, "two", "blue"));
            node.Insert(table, new TestRow(3, 3, "three", "red"));
            node.Insert(table, new TestRow(4, 4, "four", "red"));
        }

        // Recovered with a unique index on tag, the row of transaction 4 takes transaction 2's tag.
        var error = Assert.Throws<RecoveryException>(() => LogRecovery.Recover(options, new Database(), new UniqueTagHandler(kind)));
        Assert.Contains("transaction 4 gives a row of a.t the key tag = \"red\" of unique index by_tag, which another row has", error.Message);
        Assert.Equal(LogFiles.Records(options.DataDirectory)[3].Offset, error.Offset);
    }

    [Theory]
    [InlineData(IndexKind.Hash)]
    [InlineData(IndexKind.BTree)]
    public async Task A_snapshot_row_that_takes_another_rows_unique_key_stops_its_load(IndexKind kind)
    {
        var options = Options($"snapshot-conflict-{kind}");
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("a", "t");
            var table = node.Table("a", "t");
            for (ulong id = 1; id <= 20; id++) node.Insert(table, new TestRow(id, (int)id, $"n{id}", id == 17 ? "tag-5" : $"tag-{id}"));
            await node.Store.TakeSnapshot(node.Database);
        }

        // The snapshot does not fit: recovery falls back to the log from its beginning, whose transaction 18 takes the key too.
        var warnings = new List<string>();
        var error = Assert.Throws<RecoveryException>(() => LogRecovery.Recover(options with { Warning = warnings.Add }, new Database(), new UniqueTagHandler(kind)));
        string snapshot = new DataDirectory(options.DataDirectory).ListSnapshots()[^1].Path;
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"snapshot {snapshot} does not fit (the snapshot gives a row of a.t the key tag = \"tag-5\" of unique index by_tag, which another row has at byte ", warning);
        Assert.Contains("transaction 18 gives a row of a.t the key tag = \"tag-5\" of unique index by_tag, which another row has", error.Message);
        Assert.Equal(LogFiles.Records(options.DataDirectory)[17].Offset, error.Offset);
    }

    /// <summary>Creates <see cref="TestSchema"/>'s tables with their tag index unique (of the given kind).</summary>
    private sealed class UniqueTagHandler(IndexKind kind) : TestSchema.Handler
    {
        public override void ModuleLoaded(Database database, ModuleLoadedRecord record)
        {
            foreach (var name in System.Text.Encoding.UTF8.GetString(record.Schema.Span).Split('\n'))
            {
                TestTables.Create(database, record.Module, name, autoIncrement: false,
                    TestTables.Index("by_name", "name", IndexKind.Hash, unique: true),
                    TestTables.Index("by_score", "score", IndexKind.BTree, unique: false),
                    TestTables.Index("by_tag", "tag", kind, unique: true));
            }
        }
    }
}
