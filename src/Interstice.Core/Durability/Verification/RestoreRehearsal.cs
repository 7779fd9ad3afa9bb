using System.Security.Cryptography;
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
    public static RestoreCheck Run(DataDirectory directory, IRecoveryHandler handler)
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
        var store = new ModuleStore(directory.Root);
        var modules = new List<NeededModule>();
        string? failure = null;
        foreach (var record in records.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (!withTables.Contains(record.Name))
            {
                failure ??= $"the node's table interstice.modules records module `{record.Name}`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";
            }
            if (!record.Loaded) continue;
            string path = store.PathOf(record.Hash);
            modules.Add(new NeededModule(record.Name, record.Version, record.Hash, path, BinaryProblem(path, record.Hash)));
        }
        return new RestoreCheck(recovered.UnfitSnapshots, recovered.Snapshot, recovered.RecordsReplayed, failure, modules);
    }

    private static string? BinaryProblem(string path, string hash)
    {
        try
        {
            if (!File.Exists(path)) return "is missing: a start stops; put the module's binary back";
            using var file = File.OpenRead(path);
            string actual = Convert.ToHexStringLower(SHA256.HashData(file));
            return actual == hash ? null : $"holds another binary (its sha-256 is {actual}): a start stops; put the module's binary back";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({e.Message}): a start stops";
        }
    }
}
