using Interstice.Abi.Encoding;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// What the newest valid snapshot tells <see cref="LogInspector"/> about the modules loaded before
/// the oldest segment: their logged loads (its catalog, whose schemas read their rows) and which
/// binary each ran where the log starts (by content hash), whose schema reads their calls. The
/// snapshot's rows of <c>interstice.modules</c> name the binary each module ran at the snapshot;
/// the log before the snapshot may hold a reload since its start, so the first change of a
/// module's row there names what ran before it (its old row).
/// </summary>
internal sealed class SnapshotStart
{
    private SnapshotStart(IReadOnlyList<ModuleLoadedRecord> loaded, IReadOnlyDictionary<string, string> running)
    {
        Loaded = loaded;
        Running = running;
    }

    /// <summary>The module loads in the snapshot's catalog.</summary>
    public IReadOnlyList<ModuleLoadedRecord> Loaded { get; }

    /// <summary>The content hash of the binary each module ran where the log starts, by module.</summary>
    public IReadOnlyDictionary<string, string> Running { get; }

    /// <summary>Reads the newest valid snapshot (nothing when there is none) and the log before it.</summary>
    public static SnapshotStart Read(string dataDirectory)
    {
        var snapshots = new DataDirectory(dataDirectory).ListSnapshots();
        for (int i = snapshots.Count - 1; i >= 0; i--)
        {
            var sink = new Sink();
            try
            {
                SnapshotReader.Read(snapshots[i], sink);
            }
            catch (CorruptDataException)
            {
                continue;
            }
            RunningAtLogStart(dataDirectory, snapshots[i].LastTransactionId, sink.Running);
            return new SnapshotStart(sink.Loaded, sink.Running);
        }
        return new SnapshotStart([], new Dictionary<string, string>());
    }

    /// <summary>Turns <paramref name="running"/>, as of the snapshot, into what ran where the log starts.</summary>
    private static void RunningAtLogStart(string dataDirectory, ulong snapshot, Dictionary<string, string> running)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in LogReader.Read(dataDirectory))
            {
                if (entry.Record.TransactionId > snapshot) break;
                if (entry.Record is not TransactionRecord transaction) continue;
                foreach (var change in transaction.Rows)
                {
                    if (change.Module != SystemModule.Name || change.Table != SystemModule.ModulesTable) continue;
                    var before = change.OldRow.IsEmpty ? null : ModuleTable.Read(change.OldRow.Span);
                    string name = before?.Name ?? ModuleTable.Read(change.NewRow.Span).Name;
                    if (!seen.Add(name)) continue;
                    // A first change that inserts the row is the module's first load, logged with its schema.
                    if (before is null) running.Remove(name);
                    else running[name] = before.Hash;
                }
            }
        }
        catch (Exception e) when (e is CorruptDataException or AbiDecodeException)
        {
            // The listing stops at the damage and names it; records after it are not shown.
        }
    }

    /// <summary>Keeps a snapshot's catalog and its rows of <c>interstice.modules</c>; skips every other row.</summary>
    private sealed class Sink : ISnapshotSink
    {
        private bool _inModuleTable;

        public List<ModuleLoadedRecord> Loaded { get; } = [];

        public Dictionary<string, string> Running { get; } = new(StringComparer.Ordinal);

        public void Catalog(NodeCatalog catalog) => Loaded.AddRange(catalog.Modules);

        public void Table(string module, string name, ulong nextSequence, long rowCount, long offset) =>
            _inModuleTable = module == SystemModule.Name && name == SystemModule.ModulesTable;

        public void Row(ReadOnlySpan<byte> row, long offset)
        {
            if (!_inModuleTable) return;
            try
            {
                var entry = ModuleTable.Read(row);
                Running[entry.Name] = entry.Hash;
            }
            catch (AbiDecodeException)
            {
                // A row that does not decode names no binary: the module's calls are read with its catalog schema.
            }
        }
    }
}
