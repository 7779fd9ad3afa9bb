using Interstice.Abi;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Modules;

namespace Interstice.Core;

public sealed partial class Node
{
    /// <summary>
    /// After recovery rebuilt the tables, brings back the modules as the node's system table
    /// <c>interstice.modules</c> says they were: those loaded are loaded again from their stored
    /// binaries (in the order of the dependencies those declare: <see cref="RestoreOrder"/>;
    /// without running <c>init</c>, recording nothing), the others
    /// keep their tables for a later load. Tables whose module has no record are what a crash
    /// left of a load or a removal between its steps: they are dropped (and that is logged).
    /// Throws <see cref="RecoveryException"/> when the records are inconsistent (a binary hash
    /// that is not a sha-256, a module without tables: <see cref="ModuleTable.Inconsistency"/>,
    /// checked before any path is built from a hash) or a module cannot be restored: its binary
    /// is missing or is not the one recorded, or it no longer fits its logged tables.
    /// </summary>
    private void Restore(RecoveredModules recovered)
    {
        Dictionary<string, ModuleTable.Entry> records;
        using (var transaction = _database.BeginReadOnly()) records = _moduleTable.All(transaction);
        if (ModuleTable.Inconsistency(records, name => recovered.TryGet(name, out _)) is { } inconsistent) throw new RecoveryException(inconsistent);

        var toLoad = new List<(string Name, ModuleTable.Entry Record)>();
        foreach (var module in recovered.Modules)
        {
            if (!records.TryGetValue(module.Name, out var record))
            {
                string name = module.Name;
                _database.DropModule(name);
                _executor.LogEvent((id, timestamp) => new ModuleRemovedRecord(id, timestamp, name));
                _environment.Log.Write(LogLevel.Warn, null, null,
                    $"module {name}'s tables were created but the module was never recorded as loaded (or its record was deleted): a load or removal was cut short; its tables are dropped");
                continue;
            }
            _retained[module.Name] = module.Tables;
            if (record.Loaded) toLoad.Add((module.Name, record));
        }
        // Every binary is read before any is loaded: the order comes from the dependencies they declare.
        var binaries = new List<(string Name, ModuleTable.Entry Record, ModuleContract Contract)>(toLoad.Count);
        foreach (var (name, record) in toLoad) binaries.Add((name, record, ReadStoredBinary(name, record)));
        foreach (var (name, record, contract) in RestoreOrder.Of(binaries, m => m.Contract.Schema, Options.NodeName)) RestoreModule(name, record, contract);
    }

    /// <summary>
    /// Compiles the stored binary of module <paramref name="name"/> and reads its contract;
    /// throws <see cref="RecoveryException"/> when it is missing, unreadable, another one or not a module.
    /// </summary>
    private ModuleContract ReadStoredBinary(string name, ModuleTable.Entry record)
    {
        var (contract, problem) = StoredBinary.Read(_moduleStore!, record.Hash, _engine);
        if (contract is null) throw new RecoveryException($"module `{name}` {record.Version} (sha-256 {record.Hash}) was loaded, but its stored binary {problem}", _moduleStore!.PathOf(record.Hash));
        return contract;
    }

    private void RestoreModule(string name, ModuleTable.Entry record, ModuleContract contract)
    {
        string what = $"module `{name}` {record.Version} (sha-256 {record.Hash})";
        try
        {
            Load(contract, wasm: null, restoring: true);
        }
        catch (ModuleLoadException e)
        {
            throw new RecoveryException($"{what} cannot be restored: {e.Message}", _moduleStore!.PathOf(record.Hash), innerException: e);
        }
    }
}
