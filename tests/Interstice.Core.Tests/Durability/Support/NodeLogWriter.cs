using Interstice.Abi.Schema;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Records;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Subscriptions;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// Appends transactions to a stopped node's log through the store a node opens (recovery, then
/// the commit log: real records with valid checksums), holding what a node would never write: a
/// row of <c>interstice.modules</c> naming any hash, or one that does not decode, as a buggy or
/// hostile writer could. Reducer calls are logged with their inputs, without running anything.
/// </summary>
public sealed class NodeLogWriter : IDisposable
{
    private readonly Database _database = new();
    private readonly TableBinding _modules;
    private readonly PendingHandlerTable _pendingHandlers;
    private readonly DurableStore _store;
    private ulong _lastId;
    private long _lastTimestamp;

    public NodeLogWriter(DurabilityOptions options)
    {
        var system = SystemModule.CreateTables(_database);
        _modules = system.Modules;
        _pendingHandlers = new PendingHandlerTable(system.PendingHandlers);
        _store = DurableStore.RecoverAndOpen(options, _database, new RecoveredModules(), out var recovered);
        _lastId = recovered.LastTransactionId;
        _lastTimestamp = recovered.LastTimestamp;
    }

    /// <summary>
    /// Logs what a node's first load of a module logs, but with <paramref name="logged"/> as the
    /// schema its tables are created with (a node logs the one its binary declares): the load
    /// event, then the module's row of <c>interstice.modules</c> (loaded) naming <paramref name="hash"/>.
    /// </summary>
    public void Loads(ModuleSchema logged, string hash)
    {
        _store.Log.AppendEvent(new ModuleLoadedRecord(++_lastId, ++_lastTimestamp, logged.Name, Convert.FromHexString(hash), SchemaBinary.Encode(logged)));
        WriteModuleRow(logged.Name, ModuleTable.Encode(new ModuleTable.Entry(logged.Name, logged.Version, hash, Loaded: true)));
    }

    /// <summary>Writes module <paramref name="module"/>'s row of <c>interstice.modules</c> (loaded) naming <paramref name="hash"/>, as a reload does.</summary>
    public void Runs(string module, string hash) => WriteModuleRow(module, ModuleTable.Encode(new ModuleTable.Entry(module, "1.0.0", hash, Loaded: true)));

    /// <summary>Writes <paramref name="row"/> as module <paramref name="module"/>'s row of <c>interstice.modules</c> as it is (its key, the name, must decode), inserted or replacing its row.</summary>
    public void WriteModuleRow(string module, byte[] row) => Commit(CommitKind.ModuleLoaded, module, null, [], tx =>
    {
        // The row there may not decode: it is replaced by its key alone.
        try
        {
            tx.Update(_modules.Storage, row);
        }
        catch (RowNotFoundException)
        {
            tx.Insert(_modules.Storage, row);
        }
    });

    /// <summary>Logs a call of <paramref name="module"/>.<paramref name="function"/> with <paramref name="arguments"/> that inserted them as a row of its table <paramref name="table"/>.</summary>
    public void Call(string module, string function, byte[] arguments, string table)
    {
        Assert.True(_database.TryGetTable(module, table, out var rows), $"no table {module}.{table}");
        Commit(CommitKind.Call, module, function, arguments, tx => tx.Insert(rows, arguments));
    }

    /// <summary>
    /// Logs a transaction that owes a call of handler <paramref name="module"/>.<paramref name="reducer"/>
    /// with <paramref name="arguments"/> at cascade depth <paramref name="depth"/> (its row in
    /// <c>interstice.pending_handlers</c>), as a call whose handlers a crash cut off leaves it,
    /// naming whatever it is given.
    /// </summary>
    public void OwesHandler(string module, string reducer, byte[] arguments, int depth = 1) =>
        Commit(CommitKind.Call, module, reducer, [], tx => _pendingHandlers.Add(tx, module, reducer, "hello.greetings.insert", depth, arguments));

    public void TakeSnapshot() => _store.TakeSnapshot(_database).GetAwaiter().GetResult();

    public void Dispose() => _store.Dispose();

    private void Commit(CommitKind kind, string module, string? function, byte[] arguments, Action<Transaction> body)
    {
        ChangeSet changes;
        using (var transaction = _database.BeginTransaction())
        {
            body(transaction);
            changes = transaction.Commit();
        }
        var record = new CommitRecord((long)++_lastId, kind, module, function, "client", arguments, ++_lastTimestamp, 0, null, 0, changes);
        var inputs = new byte[CommitInputs.Measure(record)];
        CommitInputs.Write(record, inputs);
        _store.Log.AppendTransaction(_lastId, _lastTimestamp, inputs, changes).Wait();
        _database.Apply(changes);
    }
}
