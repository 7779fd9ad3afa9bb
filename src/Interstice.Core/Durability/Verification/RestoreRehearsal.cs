using Interstice.Core.Durability.Recovery;
using Interstice.Core.Modules;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Verification;

/// <summary>
/// Runs what a node's start runs before any WebAssembly, into a database of its own: the node's
/// system tables (<see cref="SystemModule.CreateTables"/>), the node's handler
/// (<see cref="RecoveredModules"/>), <see cref="LogRecovery.RecoverReadOnly"/> (no lock, no torn tail cut, nothing
/// written); then the checks <c>Node.Restore</c> makes before it compiles a module.
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
    public static RestoreCheck Run(DataDirectory directory, IRecoveryHandler handler, IReadOnlyList<ModuleBinaryCheck> binaries, string? modulesProblem)
    {
        var database = new Database();
        var (moduleRows, _) = SystemModule.CreateTables(database);
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
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Listed, then gone before it was read: a node's retention deletes or archives files
            // as it goes. What the start would do is then not known; the files' checks stand.
            return new RestoreCheck([], null, 0, null, []) { Interrupted = LogVerifier.DirectoryChanged(e) };
        }

        Dictionary<string, ModuleTable.Entry> records;
        using (var transaction = database.BeginReadOnly()) records = new ModuleTable(moduleRows).All(transaction);
        var withTables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in recovered.Catalog.Modules) withTables.Add(module.Module);
        string? failure = ModuleTable.RecordWithoutTables(records, withTables.Contains);

        var checkedBinaries = new Dictionary<string, ModuleBinaryCheck>(StringComparer.Ordinal);
        foreach (var binary in binaries) checkedBinaries[binary.Path] = binary;
        var store = new ModuleStore(directory.Root);
        var modules = new List<NeededModule>();
        foreach (var record in records.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (!record.Loaded) continue;
            string path = store.PathOf(record.Hash);
            modules.Add(new NeededModule(record.Name, record.Version, record.Hash, path, ProblemOf(path, checkedBinaries, modulesProblem)));
        }
        return new RestoreCheck(recovered.UnfitSnapshots, recovered.Snapshot, recovered.RecordsReplayed, failure, modules);
    }

    private static string? ProblemOf(string path, Dictionary<string, ModuleBinaryCheck> checkedBinaries, string? modulesProblem)
    {
        if (checkedBinaries.TryGetValue(path, out var binary)) return binary.Problem;
        // Unlisted, the directory may still hold it: its own check says.
        if (modulesProblem != null && File.Exists(path)) return LogVerifier.CheckModuleBinary(path).Problem;
        return "is missing: a start stops; put the module's binary back";
    }
}
