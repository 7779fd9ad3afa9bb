using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability;

/// <summary>Every record kind written by the commit log and read back, field by field.</summary>
public class RecordRoundTripTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private List<LogRecord> ReadBack() => LogReader.Read(_directory.Path).Select(e => e.Record).ToList();

    /// <summary>A transaction's inputs, encoded as the node writes them, decode to the same fields (absent ones included).</summary>
    [Theory]
    [InlineData(CommitKind.Subscription, "caller", "on_greeting", "node", "hello.greetings.insert", 2)]
    [InlineData(CommitKind.ModuleLoaded, "hello", null, "node", null, 0)]
    public void Inputs_decode_to_what_was_encoded(CommitKind kind, string module, string? function, string caller, string? trigger, int depth)
    {
        var inputs = new CommitInputs(kind, module, function, caller, new byte[] { 1, 2, 3 }, 0xfeed_beef_0000_0001, trigger, depth);
        var decoded = CommitInputs.Decode(inputs.Encode());
        Assert.Equal((kind, module, function, caller, 0xfeed_beef_0000_0001UL, trigger, depth),
            (decoded.Kind, decoded.Module, decoded.Function, decoded.Caller, decoded.RandomSeed, decoded.Trigger, decoded.Depth));
        Assert.Equal([1, 2, 3], decoded.Arguments.ToArray());
    }

    [Fact]
    public void A_transaction_keeps_its_inputs_rows_and_sequences_in_order()
    {
        var database = new Database();
        var players = TestSchema.CreateTable(database, "game", "players");
        var items = TestSchema.CreateTable(database, "shop", "items,autoinc");
        TestTables.Seed(database, players, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"));

        ChangeSet changes;
        using (var tx = database.BeginTransaction())
        {
            tx.Insert(items, new TestRow(0, 5, "sword", "weapon").Encode());
            tx.Update(players, new TestRow(1, 11, "ann", "new").Encode());
            tx.Delete(players, TestTables.U64(2));
            tx.Insert(players, new TestRow(3, 30, "cy").Encode());
            changes = tx.Commit();
        }
        byte[] inputs = [9, 8, 7, 0, 255];
        using (var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path))) log.AppendTransaction(42, 1_234_567, inputs, changes);

        var record = Assert.IsType<TransactionRecord>(Assert.Single(ReadBack()));
        Assert.Equal(LogRecordKind.Transaction, record.Kind);
        Assert.Equal(42ul, record.TransactionId);
        Assert.Equal(1_234_567, record.Timestamp);
        Assert.Equal(inputs, record.Inputs.ToArray());
        Assert.Equal(changes.Rows.Length, record.Rows.Count);
        for (int i = 0; i < changes.Rows.Length; i++)
        {
            var expected = changes.Rows[i];
            var actual = record.Rows[i];
            Assert.Equal((expected.Table.Module, expected.Table.Name, expected.Kind), (actual.Module, actual.Table, actual.Kind));
            Assert.Equal(expected.OldRow.ToArray(), actual.OldRow.ToArray());
            Assert.Equal(expected.NewRow.ToArray(), actual.NewRow.ToArray());
        }
        Assert.Equal(RowChangeKind.Insert, record.Rows[0].Kind);
        Assert.Equal(1ul, TestRow.Decode(record.Rows[0].NewRow).Id);
        var sequence = Assert.Single(record.Sequences);
        Assert.Equal(new LoggedSequenceChange("shop", "items", 2), sequence);
    }

    [Fact]
    public void Changes_to_ephemeral_tables_are_not_logged()
    {
        var database = new Database();
        var durable = TestSchema.CreateTable(database, "lobby", "players,autoinc");
        var ephemeral = TestSchema.CreateTable(database, "lobby", "sessions,ephemeral,autoinc");
        ChangeSet changes;
        using (var tx = database.BeginTransaction())
        {
            tx.Insert(ephemeral, new TestRow(0, 1, "s1").Encode());
            tx.Insert(durable, new TestRow(0, 2, "p1").Encode());
            tx.Insert(ephemeral, new TestRow(0, 3, "s2").Encode());
            changes = tx.Commit();
        }
        Assert.Equal(3, changes.Rows.Length);
        Assert.Equal(2, changes.Sequences.Length);

        using (var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path))) log.AppendTransaction(1, 0, [], changes);

        var record = Assert.IsType<TransactionRecord>(Assert.Single(ReadBack()));
        var row = Assert.Single(record.Rows);
        Assert.Equal(("lobby", "players", "p1"), (row.Module, row.Table, TestRow.Decode(row.NewRow).Name));
        Assert.Equal(new LoggedSequenceChange("lobby", "players", 2), Assert.Single(record.Sequences));
    }

    [Fact]
    public void A_transaction_that_only_touched_ephemeral_tables_is_logged_empty()
    {
        var database = new Database();
        var ephemeral = TestSchema.CreateTable(database, "lobby", "sessions,ephemeral");
        ChangeSet changes;
        using (var tx = database.BeginTransaction())
        {
            tx.Insert(ephemeral, new TestRow(1, 1, "s1").Encode());
            changes = tx.Commit();
        }
        using (var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path))) log.AppendTransaction(5, 0, [1], changes);

        var record = Assert.IsType<TransactionRecord>(Assert.Single(ReadBack()));
        Assert.Empty(record.Rows);
        Assert.Empty(record.Sequences);
        Assert.Equal([1], record.Inputs.ToArray());
    }

    [Fact]
    public void Every_node_event_kind_round_trips()
    {
        byte[] hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] schema = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        using (var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 100, "bank", hash, schema));
            log.AppendEvent(new ModuleRemovedRecord(4, 400, "bank"));
            log.AppendEvent(new ModuleLoadedRecord(5, 500, "ünïcode-module", ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty));
        }

        var records = ReadBack();
        Assert.Equal([1ul, 4, 5], records.Select(r => r.TransactionId));
        Assert.Equal([100L, 400, 500], records.Select(r => r.Timestamp));
        var loaded = Assert.IsType<ModuleLoadedRecord>(records[0]);
        Assert.Equal("bank", loaded.Module);
        Assert.Equal(hash, loaded.ContentHash.ToArray());
        Assert.Equal(schema, loaded.Schema.ToArray());
        Assert.Equal("bank", Assert.IsType<ModuleRemovedRecord>(records[1]).Module);
        var second = Assert.IsType<ModuleLoadedRecord>(records[2]);
        Assert.Equal("ünïcode-module", second.Module);
        Assert.True(second.ContentHash.IsEmpty && second.Schema.IsEmpty);
    }

    [Fact]
    public void The_log_keeps_the_catalog_of_node_events_in_effect()
    {
        using var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path));
        log.AppendEvent(new ModuleLoadedRecord(1, 0, "a", new byte[] { 1 }, new byte[] { 2 }));
        log.AppendEvent(new ModuleLoadedRecord(2, 0, "b", new byte[] { 3 }, new byte[] { 4 }));
        log.AppendEvent(new ModuleLoadedRecord(3, 0, "c", new byte[] { 5 }, new byte[] { 6 }));
        log.AppendEvent(new ModuleRemovedRecord(4, 0, "b"));

        var catalog = log.Catalog;
        Assert.Equal(["a", "c"], catalog.Modules.Select(m => m.Module));
        Assert.Equal([1ul, 3], catalog.Events.Select(e => e.TransactionId));
    }

    [Fact]
    public void Rows_of_every_size_round_trip_including_a_large_one()
    {
        var database = new Database();
        var table = TestSchema.CreateTable(database, "m", "blobs");
        var names = new[] { "", "x", new string('y', 127), new string('z', 128), new string('w', 20_000) };
        var sets = new List<ChangeSet>();
        for (int i = 0; i < names.Length; i++)
        {
            using var tx = database.BeginTransaction();
            tx.Insert(table, new TestRow((ulong)i + 1, i, names[i], new string('t', i * 1000)).Encode());
            sets.Add(tx.Commit());
            database.Apply(sets[^1]);
        }
        using (var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path)))
        {
            for (int i = 0; i < sets.Count; i++) log.AppendTransaction((ulong)i + 1, i, new byte[i * 100], sets[i]);
        }

        var records = ReadBack().Cast<TransactionRecord>().ToList();
        Assert.Equal(names, records.Select(r => TestRow.Decode(r.Rows[0].NewRow).Name));
        Assert.Equal(Enumerable.Range(0, names.Length).Select(i => i * 100), records.Select(r => r.Inputs.Length));
    }

    [Fact]
    public void Transaction_ids_must_increase()
    {
        using var log = CommitLog.Open(CommitPathHarness.DefaultOptions(_directory.Path));
        log.AppendEvent(new ModuleLoadedRecord(10, 0, "a", new byte[1], new byte[1]));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => log.AppendEvent(new ModuleRemovedRecord(10, 0, "a")));
        Assert.Contains("the log's last is 10", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.AppendEvent(new ModuleRemovedRecord(3, 0, "a")));
        log.AppendEvent(new ModuleRemovedRecord(11, 0, "a"));
        Assert.Equal(11ul, log.LastTransactionId);
    }
}
