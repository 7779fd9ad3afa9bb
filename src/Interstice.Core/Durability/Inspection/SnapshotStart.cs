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
/// module's row there names what ran before it (its old row). When that part of the log cannot be
/// read up to the snapshot, a module whose row it did not reach may have been reloaded after the
/// point where reading stopped: which binary it ran is then not known.
/// </summary>
internal sealed class SnapshotStart
{
    private SnapshotStart(IReadOnlyList<ModuleLoadedRecord> loaded, IReadOnlyDictionary<string, string> running,
        IReadOnlyDictionary<string, string> notKnown, string? othersNotKnown)
    {
        Loaded = loaded;
        Running = running;
        NotKnown = notKnown;
        OthersNotKnown = othersNotKnown;
    }

    /// <summary>The module loads in the snapshot's catalog.</summary>
    public IReadOnlyList<ModuleLoadedRecord> Loaded { get; }

    /// <summary>The content hash of the binary each module ran where the log starts, by module, for the modules it is known of.</summary>
    public IReadOnlyDictionary<string, string> Running { get; }

    /// <summary>Modules whose binary where the log starts is not known (the first change of their row does not decode), with why.</summary>
    public IReadOnlyDictionary<string, string> NotKnown { get; }

    /// <summary>
    /// Null when the log before the snapshot was read up to it (or not needed). Otherwise why the
    /// binary of every module not in <see cref="Running"/> or <see cref="NotKnown"/> is not known
    /// where the log starts, the snapshot's catalog included: the log stops before the snapshot,
    /// at damage or at its end.
    /// </summary>
    public string? OthersNotKnown { get; }

    /// <summary>Reads the newest valid snapshot (nothing when there is none) and, when it can change what ran where the log starts, the log before it.</summary>
    public static SnapshotStart Read(string dataDirectory)
    {
        var directory = new DataDirectory(dataDirectory);
        var snapshots = directory.ListSnapshots();
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
            ulong snapshot = snapshots[i].LastTransactionId;
            var segments = directory.ListSegments(includeArchive: true);
            if (!HasLogBefore(segments, snapshot)) return new SnapshotStart(sink.Loaded, sink.Running, new Dictionary<string, string>(), null);
            return RunningAtLogStart(segments, snapshot, sink);
        }
        return new SnapshotStart([], new Dictionary<string, string>(), new Dictionary<string, string>(), null);
    }

    /// <summary>
    /// Whether the log holds records before the snapshot that may follow a module's load the
    /// snapshot alone knows of: not when it starts at the first transaction (it logs every load
    /// then, before any call) nor when it starts after the snapshot.
    /// </summary>
    private static bool HasLogBefore(IReadOnlyList<SegmentFile> segments, ulong snapshot) =>
        segments.Count > 0 && segments[0].FirstTransactionId > 1 && segments[0].FirstTransactionId <= snapshot;

    /// <summary>Turns the snapshot's rows, which say what ran at the snapshot, into what ran where the log starts.</summary>
    private static SnapshotStart RunningAtLogStart(IReadOnlyList<SegmentFile> segments, ulong snapshot, Sink sink)
    {
        var running = new Dictionary<string, string>(StringComparer.Ordinal);
        var notKnown = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? stopped = null;
        // The records the listing reads (LogReader), read with the cursor to know where the log ends as recovery does.
        using (var cursor = new LogCursor(segments))
        {
            try
            {
                // Stops once the snapshot's own transaction is read, so that damage after it (what
                // the listing reports where it is) does not make this stretch look unread.
                bool reached = false;
                while (!reached && cursor.MoveNext(out var body))
                {
                    if (cursor.LastTransactionId > snapshot)
                    {
                        reached = true;
                        break;
                    }
                    if (cursor.Decode(body) is TransactionRecord transaction)
                        FirstChanges(cursor.Segment.Path, cursor.RecordOffset, transaction, seen, running, notKnown);
                    reached = cursor.LastTransactionId == snapshot;
                }
                if (!reached)
                    stopped = $"the log ends at transaction {cursor.LastTransactionId}, before the snapshot of transaction {snapshot}";
            }
            catch (CorruptDataException e)
            {
                stopped = $"the log before the snapshot of transaction {snapshot} is damaged at {e.File} byte {e.Offset}";
            }
        }
        if (stopped is null)
        {
            // Read up to the snapshot: a module whose row did not change since the log starts ran the binary the snapshot names.
            foreach (var (module, hash) in sink.Running)
            {
                if (!seen.Contains(module)) running[module] = hash;
            }
        }
        return new SnapshotStart(sink.Loaded, running, notKnown, stopped);
    }

    /// <summary>Notes, for each module whose row of <c>interstice.modules</c> <paramref name="transaction"/> changes for the first time in the log, what it ran before.</summary>
    private static void FirstChanges(string segment, long offset, TransactionRecord transaction, HashSet<string> seen,
        Dictionary<string, string> running, Dictionary<string, string> notKnown)
    {
        foreach (var change in transaction.Rows)
        {
            if (change.Module != SystemModule.Name || change.Table != SystemModule.ModulesTable) continue;
            var before = TryRead(change.OldRow);
            // A change neither of whose rows decodes names no module: the listing shows it undecoded
            // with its problem. (Were it a module's first change, that module's next change would be
            // taken for its first; only a writer that logs rows it cannot read makes such a change.)
            if ((before ?? TryRead(change.NewRow))?.Name is not { } name || !seen.Add(name)) continue;
            // A first change that inserts the row is the module's first load, logged with its schema.
            if (before is not null) running[name] = before.Hash;
            else if (!change.OldRow.IsEmpty) notKnown[name] = $"its row of {SystemModule.Name}.{SystemModule.ModulesTable}, which transaction {transaction.TransactionId} changes ({segment} byte {offset}), does not decode";
        }
    }

    /// <summary>A row of <c>interstice.modules</c>; null when there is none or it does not decode.</summary>
    private static ModuleTable.Entry? TryRead(ReadOnlyMemory<byte> row)
    {
        if (row.IsEmpty) return null;
        try
        {
            return ModuleTable.Read(row.Span);
        }
        catch (AbiDecodeException)
        {
            return null;
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
