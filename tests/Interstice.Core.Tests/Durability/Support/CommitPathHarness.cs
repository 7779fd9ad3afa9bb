using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// A commit path over the durability layer alone, without WebAssembly, for the layer's own
/// tests (records, torn tails, snapshots, retention, verification at sizes and shapes the
/// example modules cannot easily produce): recover, then for each transaction append its
/// change set to the log, apply it, and take a snapshot when due; node events are logged and
/// carried out by the same handler that recovery uses. The node's own commit path (restart,
/// acknowledgement, crashes) is tested through the node: NodeRestartTests, NodeIntegrityTests,
/// NodeCrashTests.
/// </summary>
public sealed class CommitPathHarness : IDisposable
{
    private readonly Dictionary<Table, ulong> _highestIds = [];
    private long _clock = 1_700_000_000_000_000;

    public CommitPathHarness(DurabilityOptions options)
    {
        Options = options;
        // As the node does: the directory is locked before recovery reads it.
        Store = DurableStore.RecoverAndOpen(options, Database, Handler, out var recovered);
        Recovered = recovered;
        LastId = Recovered.LastTransactionId;
    }

    public DurabilityOptions Options { get; }

    public Database Database { get; } = new();

    public TestSchema.Handler Handler { get; } = new();

    public RecoveryResult Recovered { get; }

    public DurableStore Store { get; }

    public CommitLog Log => Store.Log;

    public ulong LastId { get; private set; }

    /// <summary>
    /// Wait for each snapshot that a commit starts, so that none is skipped for being still in
    /// progress (a real node goes on committing; tests that count snapshots need them exact).
    /// </summary>
    public bool AwaitSnapshots { get; init; }

    public static DurabilityOptions DefaultOptions(string directory, DurabilityPolicy policy = DurabilityPolicy.None) => new(directory)
    {
        Policy = policy,
        SnapshotEveryRecords = 0,
        SnapshotEveryBytes = 0,
    };

    /// <summary>Writes a log of module <c>game</c>'s load and <paramref name="rows"/> inserts into its table <c>players</c>, each with a payload of <paramref name="payload"/> bytes.</summary>
    public static void WritePlayers(DurabilityOptions options, int rows, int payload)
    {
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        for (int i = 1; i <= rows; i++) node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"player{i}", new string('x', payload)));
    }

    /// <summary>Recovery alone (no store) into a new database, with the test schema's handler.</summary>
    public static RecoveryResult RecoverOnly(DurabilityOptions options) => LogRecovery.Recover(options, new Database(), new TestSchema.Handler());

    /// <summary>Recovers <paramref name="directory"/> expecting damage; returns the error.</summary>
    public static CorruptDataException RecoverExpectingDamage(string directory) =>
        Assert.Throws<CorruptDataException>(() => RecoverOnly(new DurabilityOptions(directory)));

    public Table Table(string module, string name)
    {
        Assert.True(Database.TryGetTable(module, name, out var table), $"no table {module}.{name}");
        return table;
    }

    public LogTicket LoadModule(string module, params string[] tables)
    {
        var record = new ModuleLoadedRecord(++LastId, NextTimestamp(), module, new byte[] { 1, 2, 3, (byte)module.Length }, TestSchema.Encode(tables));
        var ticket = Log.AppendEvent(record);
        Handler.ModuleLoaded(Database, record);
        return ticket;
    }

    public LogTicket RemoveModule(string module)
    {
        var record = new ModuleRemovedRecord(++LastId, NextTimestamp(), module);
        var ticket = Log.AppendEvent(record);
        Handler.ModuleRemoved(Database, record);
        return ticket;
    }

    /// <summary>Runs <paramref name="body"/> as one transaction and commits it through the log.</summary>
    public LogTicket Commit(Action<Transaction> body, byte[]? inputs = null)
    {
        ChangeSet changes;
        using (var transaction = Database.BeginTransaction())
        {
            body(transaction);
            changes = transaction.Commit();
        }
        var ticket = Log.AppendTransaction(++LastId, NextTimestamp(), inputs ?? [(byte)(LastId % 251)], changes);
        Database.Apply(changes);
        var snapshot = Store.SnapshotIfDue(Database);
        if (AwaitSnapshots) snapshot?.Wait();
        return ticket;
    }

    public LogTicket Insert(Table table, TestRow row) => Commit(tx => TestTables.Insert(tx, table, row));

    /// <summary>
    /// Random transactions over every table: inserts (explicit ids, or 0 into auto_inc tables),
    /// updates and deletes of existing rows, several changes per transaction now and then.
    /// </summary>
    public void RandomTransactions(Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int operations = random.Next(4) == 0 ? random.Next(2, 6) : 1;
            Commit(tx =>
            {
                for (int op = 0; op < operations; op++) RandomOperation(tx, random);
            });
        }
    }

    private void RandomOperation(Transaction transaction, Random random)
    {
        var tables = Database.Tables;
        var table = tables[random.Next(tables.Count)];
        _highestIds.TryGetValue(table, out ulong highest);
        ulong id = highest == 0 ? 0 : (ulong)random.NextInt64(1, (long)highest + 1);
        var existing = id == 0 ? null : TestTables.Get(transaction, table, id);
        int choice = random.Next(10);
        if (existing == null || choice < 4)
        {
            ulong newId = table.Definition.AutoIncrement != null && random.Next(2) == 0 ? 0 : highest + 1 + (ulong)random.Next(3);
            var stored = transaction.Insert(table, new TestRow(newId, random.Next(-50, 50), $"n{(newId == 0 ? "auto" + random.NextInt64() : newId)}", $"t{random.Next(5)}").Encode());
            ulong storedId = TestRow.Decode(stored).Id;
            _highestIds[table] = Math.Max(highest, storedId);
        }
        else if (choice < 8)
        {
            transaction.Update(table, (existing with { Score = random.Next(-50, 50), Tag = $"t{random.Next(5)}", Name = $"n{id}-{random.Next(1000)}" }).Encode());
        }
        else
        {
            transaction.Delete(table, TestTables.U64(id));
        }
    }

    private long NextTimestamp() => _clock += 1000;

    public void Dispose() => Store.Dispose();
}
