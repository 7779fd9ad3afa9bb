using Interstice.Abi.Schema;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Execution;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Subscriptions;
using Interstice.Wasm;

namespace Interstice.Core.Durability.Verification;

/// <summary>
/// Runs what a node's start runs before it instantiates any module (it compiles their binaries,
/// running none of their code), into a database of its own: the node's
/// system tables (<see cref="SystemModule.CreateTables"/>), the node's handler
/// (<see cref="RecoveredModules"/>), <see cref="LogRecovery.RecoverReadOnly"/> (no lock, no torn tail cut, nothing
/// written); then the checks <c>Node.Restore</c> makes of each module it restores before it
/// instantiates it: its binary is there and hashes right, it compiles to a module whose
/// contract can be read, and <see cref="ModuleLoadCheck"/> passes against the tables recovery
/// rebuilt for it and the modules restored before it; last, which of the handler calls the state
/// owes the start would drop, checked as its executor checks them.
/// </summary>
internal static class RestoreRehearsal
{
    /// <param name="directory">The data directory.</param>
    /// <param name="handler">A new handler: the node's (<see cref="RecoveredModules"/>) for a node's directory.</param>
    /// <param name="binaries">
    /// The binaries <see cref="LogVerifier"/> found and hashed in <c>modules/</c>: a needed binary
    /// not among them is missing, one among them has that check's problem (none when sound).
    /// </param>
    /// <param name="modulesProblem">
    /// Why <c>modules/</c> could not be listed (then <paramref name="binaries"/> is empty and each
    /// needed binary is checked on its own), or null.
    /// </param>
    /// <param name="node">The node that starts on the directory: its name and the authorities it grants.</param>
    public static RestoreCheck Run(DataDirectory directory, IRecoveryHandler handler, IReadOnlyList<ModuleBinaryCheck> binaries, string? modulesProblem, NodeOptions node)
    {
        var database = new Database();
        var systemTables = SystemModule.CreateTables(database);
        RecoveryResult recovered;
        try
        {
            recovered = LogRecovery.RecoverReadOnly(new DurabilityOptions(directory.Root), database, handler);
        }
        catch (RecoveryException e)
        {
            return new RestoreCheck(e.UnfitSnapshots, null, 0, e.Message, []) { FailureIsLogGap = e.LogDoesNotReachBack };
        }
        catch (CorruptDataException e)
        {
            return new RestoreCheck([], null, 0, e.Message, []);
        }
        catch (Exception e) when (LogVerifier.IsGone(e))
        {
            // Listed, then gone before it was read: a node's retention deletes or archives files
            // as it goes. What the start would do is then not known; the files' checks stand.
            return new RestoreCheck([], null, 0, null, []) { Interrupted = LogVerifier.DirectoryChanged(e) };
        }

        Dictionary<string, ModuleTable.Entry> records;
        long owed;
        using (var transaction = database.BeginReadOnly())
        {
            records = new ModuleTable(systemTables.Modules).All(transaction);
            owed = transaction.Count(systemTables.PendingHandlers.Storage);
        }
        var withTables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in recovered.Catalog.Modules) withTables.Add(module.Module);
        string? failure = ModuleTable.Inconsistency(records, withTables.Contains);

        var checkedBinaries = new Dictionary<string, ModuleBinaryCheck>(StringComparer.Ordinal);
        foreach (var binary in binaries) checkedBinaries[binary.Path] = binary;
        var store = new ModuleStore(directory.Root);
        var problems = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var record in records.Values)
        {
            if (IsNeeded(record)) problems[record.Name] = ProblemOf(store.PathOf(record.Hash), checkedBinaries, modulesProblem);
        }
        // A start that fails here loads no module; without the node's handler (the durability
        // layer's tests) the logged schemas are not known.
        IReadOnlyList<DroppedHandlerCall> dropped = [];
        if (failure == null && handler is RecoveredModules rebuilt)
        {
            var restoredFunctions = CheckLoads(rebuilt, records, store, problems, node);
            // Owed calls run only once every module is restored.
            if (problems.Values.All(p => p == null)) dropped = DroppedCalls(database, systemTables, restoredFunctions, node);
        }

        var modules = new List<NeededModule>();
        foreach (var record in records.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (IsNeeded(record)) modules.Add(new NeededModule(record.Name, record.Version, record.Hash, store.PathOf(record.Hash), problems[record.Name]));
        }
        return new RestoreCheck(recovered.UnfitSnapshots, recovered.Snapshot, recovered.RecordsReplayed, failure, modules)
        {
            OwedHandlerCalls = owed,
            DroppedHandlerCalls = dropped,
        };
    }

    /// <summary>
    /// What a start checks of each module it restores before it instantiates it, in the order it
    /// restores them (<see cref="RestoreOrder"/>): it compiles the binary
    /// (running none of it) and reads its contract, then runs <see cref="ModuleLoadCheck"/>
    /// against the tables recovery rebuilt for the module and the modules restored before it.
    /// Sets each module's problem in <paramref name="problems"/> (those whose binary has one
    /// already are not compiled). A start stops at the first module that fails; the rehearsal
    /// goes on, so that each module's problem is its own: every module counts as restored for
    /// those after it, as its binary declares it, or as its tables were logged (with its
    /// recorded version) when its binary cannot say. Returns the reducers and queries of the
    /// modules restored from their binaries, by the name they are restored under.
    /// </summary>
    private static Dictionary<string, ModuleFunctions> CheckLoads(RecoveredModules rebuilt, Dictionary<string, ModuleTable.Entry> records, ModuleStore store,
        Dictionary<string, string?> problems, NodeOptions node)
    {
        var engine = new Engine(Node.ModuleEngineOptions);
        var restored = new Dictionary<string, ModuleInfo>(StringComparer.Ordinal);
        var functions = new Dictionary<string, ModuleFunctions>(StringComparer.Ordinal);
        var authorities = new AuthorityRegistry(node.GrantableAuthorities);
        var check = new ModuleLoadCheck(restored.GetValueOrDefault, authorities, node.NodeName);
        // As the node: the tables of every recorded module are kept for its load, which takes
        // those kept under the name its binary declares.
        var kept = new Dictionary<string, TableBinding[]>(StringComparer.Ordinal);
        var toLoad = new List<LoadToCheck>();
        foreach (var module in rebuilt.Modules)
        {
            if (!records.TryGetValue(module.Name, out var record)) continue;
            kept[module.Name] = module.Tables;
            if (!record.Loaded) continue;
            // Every binary is read before any is checked: the order comes from the dependencies they declare.
            ModuleContract? contract = null;
            if (problems[module.Name] == null) (contract, problems[module.Name]) = StoredBinary.Read(store, record.Hash, engine);
            toLoad.Add(new LoadToCheck(module.Name, record, contract, contract?.Schema ?? module.Schema with { Version = record.Version }));
        }
        foreach (var (name, record, contract, declared) in RestoreOrder.Of(toLoad, m => m.Declared, node.NodeName))
        {
            if (contract != null)
            {
                try
                {
                    check.Run(contract, kept.GetValueOrDefault(declared.Name));
                }
                catch (ModuleLoadException e)
                {
                    problems[name] = $"cannot be restored: {e.Message}";
                }
            }
            restored[declared.Name] = new ModuleInfo(declared.Name, declared.Version, record.Hash, declared);
            if (contract != null) functions[declared.Name] = new ModuleFunctions(contract.Schema);
            kept.Remove(declared.Name);
            authorities.Claim(declared.Name, declared.Authorities);
        }
        return functions;
    }

    /// <summary>
    /// The owed handler calls a start that restores <paramref name="functions"/>' modules drops,
    /// in the order it meets them, checked as its executor checks them (<see cref="QueuedCallCheck"/>).
    /// </summary>
    private static List<DroppedHandlerCall> DroppedCalls(Database database, SystemTables systemTables, Dictionary<string, ModuleFunctions> functions, NodeOptions node)
    {
        List<PendingHandlerTable.Row> rows;
        using (var transaction = database.BeginReadOnly()) rows = new PendingHandlerTable(systemTables.PendingHandlers).All(transaction);
        var dropped = new List<DroppedHandlerCall>();
        foreach (var row in rows)
        {
            if (QueuedCallCheck.Problem(row, functions.GetValueOrDefault(row.Module), node.MaxSubscriptionDepth, out _) is { } problem)
                dropped.Add(new DroppedHandlerCall(row.Id, row.Module, row.Reducer, row.Event, problem));
        }
        return dropped;
    }

    /// <summary>
    /// A module a start loads, with its binary's contract (null when the binary has a problem)
    /// and the schema it counts with: its binary's, or the logged one with its recorded version.
    /// </summary>
    private sealed record LoadToCheck(string Name, ModuleTable.Entry Record, ModuleContract? Contract, ModuleSchema Declared);

    /// <summary>
    /// Whether a start loads the module of <paramref name="record"/> from its binary: it is
    /// recorded as loaded, with a hash that can name its binary. One whose hash is not a sha-256
    /// (the failure names it) gets no path: nothing out of <c>modules/</c> is looked at.
    /// </summary>
    private static bool IsNeeded(ModuleTable.Entry record) => record.Loaded && RecordedHash.IsSha256(record.Hash);

    private static string? ProblemOf(string path, Dictionary<string, ModuleBinaryCheck> checkedBinaries, string? modulesProblem)
    {
        if (checkedBinaries.TryGetValue(path, out var binary)) return binary.Problem;
        // Unlisted, the directory may still hold it: its own check says.
        if (modulesProblem != null && File.Exists(path)) return LogVerifier.CheckModuleBinary(path).Problem;
        return "is missing: a start stops; put the module's binary back";
    }
}
