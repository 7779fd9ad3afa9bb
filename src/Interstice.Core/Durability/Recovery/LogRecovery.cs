using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Rebuilds a node's state from its data directory, running no WebAssembly: loads the newest
/// valid snapshot, then replays the log after it, applying each transaction's changes to the
/// database and handing each node event to the node's <see cref="IRecoveryHandler"/>.
/// <list type="bullet">
/// <item>An invalid snapshot (a checksum fails) is reported (see <see cref="RecoveryResult.Warnings"/>) and the
/// previous one is used, if the log (archive included) still reaches back to it. So is a snapshot
/// whose checksums hold but whose content does not fit (<see cref="UnfitSnapshot"/>): what it
/// loaded is undone (<see cref="RecoveryBaseline"/>) before the older one is loaded. When the log
/// does not reach back, recovery stops with <see cref="RecoveryException"/> naming both; when the
/// older state then fails, its error names the skipped snapshots too
/// (<see cref="RecoveryException.UnfitSnapshots"/>). No snapshot is deleted or moved.</item>
/// <item>A torn last record (a crash in the middle of a write) is cut away into <c>quarantine/</c>, with a warning
/// (by <see cref="RecoverReadOnly"/>, which writes nothing: found and left, in <see cref="RecoveryResult.TornTail"/>).</item>
/// <item>A log that ends before the snapshot loaded (records lost: segments deleted, or the
/// snapshot copied in) is reported with a warning; the state comes from the snapshot and the
/// log goes on in a new segment chained to it. An empty log (no segment) is normal.</item>
/// <item>Damage anywhere else stops recovery with <see cref="CorruptDataException"/> (file, byte
/// offset, reason); a logged change that contradicts the state, a table that does not exist, or
/// a transaction id too large for a node to go on after it, with <see cref="RecoveryException"/>.
/// The database is then half-filled: discard it.</item>
/// </list>
/// <see cref="DurableStore.RecoverAndOpen"/> is what a node does: it takes the directory's lock,
/// recovers, and opens the store at the end recovery found (so the last segment is not read
/// again), holding the lock throughout so that no other node gets in between.
/// </summary>
public static class LogRecovery
{
    /// <param name="options">The data directory (the policy and snapshot settings do not matter here).</param>
    /// <param name="database">An empty database (apart from tables the node creates before recovery, which must be empty).</param>
    /// <param name="handler">Creates and drops tables for the node events.</param>
    /// <remarks>Recovery takes the directory's lock for its own duration: it may cut a torn tail,
    /// which must never happen under a node using the directory (so it creates the directory and
    /// its lock file when they are missing, and needs to write there).
    /// <see cref="DurableStore.RecoverAndOpen"/> keeps the lock for the store instead.</remarks>
    /// <exception cref="DataDirectoryInUseException">A node holds the directory.</exception>
    /// <exception cref="ArgumentException">A table in <paramref name="database"/> holds rows.</exception>
    public static RecoveryResult Recover(DurabilityOptions options, Database database, IRecoveryHandler handler)
    {
        // Checked here as well as in Run: the lock needs the directory first.
        ArgumentNullException.ThrowIfNull(options);
        using var own = DataDirectoryLock.Acquire(new DataDirectory(options.DataDirectory));
        return Run(options, database, handler, readOnly: false);
    }

    /// <summary><see cref="Recover"/> by a caller that holds the data directory's lock.</summary>
    internal static RecoveryResult RecoverLocked(DurabilityOptions options, Database database, IRecoveryHandler handler) =>
        Run(options, database, handler, readOnly: false);

    /// <summary>
    /// <see cref="Recover"/> that writes nothing, for <c>log verify</c>: it takes no lock (a node
    /// may be running), and a torn tail is reported in the result, not cut away.
    /// </summary>
    internal static RecoveryResult RecoverReadOnly(DurabilityOptions options, Database database, IRecoveryHandler handler) =>
        Run(options, database, handler, readOnly: true);

    private static RecoveryResult Run(DurabilityOptions options, Database database, IRecoveryHandler handler, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(handler);
        var directory = new DataDirectory(options.DataDirectory);
        var warnings = new List<string>();
        void Warn(string warning)
        {
            warnings.Add(warning);
            options.Warn(warning);
        }

        var segments = directory.ListSegments(includeArchive: true);
        var snapshots = directory.ListSnapshots();
        ulong newestSnapshotName = snapshots.Count > 0 ? snapshots[^1].LastTransactionId : 0;

        // Newest snapshot first; one that is damaged or does not fit gives way to the one before
        // it (or to the log's beginning), as long as the log reaches back that far.
        var baseline = new RecoveryBaseline(database);
        var unfit = new List<UnfitSnapshot>();
        SnapshotFile? chosen = null;
        long lastTimestamp = 0;
        var catalog = new NodeCatalog();
        long snapshotRows = 0;
        ulong from = 0;
        int first = 0;
        for (int i = snapshots.Count - 1; ; i--)
        {
            SnapshotFile? candidate = i >= 0 ? snapshots[i] : null;
            from = candidate?.LastTransactionId ?? 0;
            first = FirstSegmentAfter(segments, from);
            CheckCoverage(segments, first, candidate, from, newestSnapshotName, unfit);
            if (candidate is not { } snapshot) break;
            // The snapshot is read once, as it loads: damage found part way is undone like a misfit.
            try
            {
                if (from > LogFormat.MaxTransactionId) throw new RecoveryException(PastLastId(from), snapshot.Path);
                (catalog, snapshotRows, lastTimestamp) = Load(snapshot, database, handler);
                chosen = snapshot;
                break;
            }
            catch (CorruptDataException e) when (e.File == snapshot.Path)
            {
                Warn($"snapshot {snapshot.Path} is invalid ({e.Reason} at byte {e.Offset}); trying an older one");
                baseline.Restore(handler);
            }
            catch (RecoveryException e) when (e.File == snapshot.Path)
            {
                var misfit = new UnfitSnapshot(snapshot, e.Reason, e.Offset);
                unfit.Add(misfit);
                Warn($"{misfit}; trying an older one");
                baseline.Restore(handler);
            }
        }

        var tail = new List<SegmentFile>();
        for (int i = first; i < segments.Count; i++) tail.Add(segments[i]);
        long replayed = 0;
        ulong last = from;
        TornTail? torn;
        LogEnd? end;
        bool readSegment = false;
        ulong logLast;
        try
        {
            using (var cursor = new LogCursor(tail) { SegmentStarted = (_, _) => readSegment = true })
            {
                var resolver = new TableResolver(database);
                var applier = new ReplayApplier(resolver, handler);
                bool exclusive = false;
                try
                {
                    while (cursor.MoveNext(out var body))
                    {
                        var header = cursor.Header;
                        if (header.TransactionId <= from) continue;
                        if (header.TransactionId > LogFormat.MaxTransactionId)
                            throw new RecoveryException(PastLastId(header.TransactionId), cursor.Segment.Path, cursor.RecordOffset);
                        if (header.Kind == LogRecordKind.Transaction)
                        {
                            if (!exclusive)
                            {
                                database.EnterExclusive("replay the commit log");
                                exclusive = true;
                            }
                            applier.Apply(body, header.TransactionId, cursor.Segment.Path, cursor.RecordOffset);
                        }
                        else
                        {
                            if (exclusive)
                            {
                                applier.Complete();
                                database.ExitExclusive();
                                exclusive = false;
                            }
                            var record = (NodeEventRecord)cursor.Decode(body);
                            try
                            {
                                NodeEvents.Dispatch(handler, database, record);
                            }
                            catch (RecoveryException e) when (e.File is null)
                            {
                                throw new RecoveryException(e.Message, cursor.Segment.Path, cursor.RecordOffset, e);
                            }
                            catalog.Apply(record);
                            resolver.Forget();
                        }
                        last = header.TransactionId;
                        lastTimestamp = header.Timestamp;
                        replayed++;
                    }
                    applier.Complete();
                }
                finally
                {
                    if (exclusive) database.ExitExclusive();
                }
                torn = cursor.Torn;
                end = cursor.End;
                logLast = cursor.LastTransactionId;
                if (logLast > last) last = logLast;
            }
        }
        // A fallback that then fails must still name the snapshots it skipped: they are why the
        // start needed the older state and log that stopped it.
        catch (RecoveryException e) when (unfit.Count > 0)
        {
            throw AfterFallback(unfit, e.Reason, e.File, e.Offset, e);
        }
        catch (CorruptDataException e) when (unfit.Count > 0)
        {
            throw AfterFallback(unfit, $"corrupt: {e.Reason}", e.File, e.Offset, e);
        }

        if (torn is { } tornTail && !readOnly)
        {
            Warn(tornTail.CutAway(directory));
        }
        if (readSegment && logLast < from && chosen is { } loaded)
        {
            // A snapshot is published only once the log holding its records is fsynced, so a log
            // ending before it lost records (segments deleted or lost, or the snapshot copied in).
            // The log goes on in a new segment chained to the snapshot (CommitLog.Open), never
            // after its own last record, which would hide the gap inside a segment.
            Warn($"the log ends at transaction {logLast} ({end?.SegmentPath ?? directory.LogDirectory}), before snapshot {loaded.Path} (transaction {from}): " +
                $"the log lost transactions {logLast + 1} to {from}; the state comes from the snapshot, and the log goes on in a new segment after transaction {from}");
        }
        return new RecoveryResult(last, lastTimestamp, catalog, chosen, snapshotRows, replayed, torn, end, warnings, unfit);
    }

    private static RecoveryException AfterFallback(List<UnfitSnapshot> unfit, string reason, string? file, long? offset, Exception inner) =>
        new($"cannot recover: {string.Join(", ", unfit)}, and the start from the older state stops: {reason}", file, offset, inner)
        {
            UnfitSnapshots = [.. unfit],
        };

    /// <summary>The first segment that can hold records after <paramref name="from"/>: the last one starting at or before it.</summary>
    internal static int FirstSegmentAfter(IReadOnlyList<SegmentFile> segments, ulong from)
    {
        int first = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i].FirstTransactionId <= from + 1) first = i;
        }
        return first;
    }

    /// <summary>Loads <paramref name="snapshot"/> into the database; returns its catalog, how many rows it held and its timestamp.</summary>
    private static (NodeCatalog Catalog, long Rows, long Timestamp) Load(SnapshotFile snapshot, Database database, IRecoveryHandler handler)
    {
        var loader = new SnapshotLoader(database, handler, snapshot.Path);
        SnapshotHeader header;
        try
        {
            header = SnapshotReader.Read(snapshot, loader);
            loader.Complete();
        }
        finally
        {
            loader.Finish();
        }
        return (loader.LoadedCatalog, loader.Rows, header.Timestamp);
    }

    /// <summary>
    /// Checks that the log holds every record after <paramref name="from"/> (its first needed
    /// segment must follow <paramref name="from"/> or earlier); when it does not, the error also
    /// names the newer snapshots that did not fit, since those are why recovery needs that range.
    /// </summary>
    private static void CheckCoverage(IReadOnlyList<SegmentFile> segments, int first, SnapshotFile? chosen, ulong from, ulong newestSnapshotName,
        IReadOnlyList<UnfitSnapshot> unfit)
    {
        string? gap = CoverageGap(segments, first, chosen, from, newestSnapshotName, unfit.Count > 0);
        if (gap == null) return;
        string why = unfit.Count == 0 ? "" : string.Join(", ", unfit) + ", and ";
        throw new RecoveryException($"cannot recover: {why}{gap}") { UnfitSnapshots = [.. unfit], LogDoesNotReachBack = true };
    }

    private static string? CoverageGap(IReadOnlyList<SegmentFile> segments, int first, SnapshotFile? chosen, ulong from, ulong newestSnapshotName, bool newerUnfit)
    {
        string start = chosen is { } snapshot ? $"snapshot {snapshot.Path}" : "the beginning (no usable snapshot)";
        if (segments.Count == 0)
        {
            return from < newestSnapshotName
                ? $"{(newerUnfit ? "" : "the newest snapshots are invalid and ")}there is no log to replay from {start} (transaction {from}) to transaction {newestSnapshotName}"
                : null;
        }
        var segment = segments[first];
        ulong previous;
        using (var reader = FrameFileReader.Open(segment.Path, LogFormat.RecordHeaderSize, LogFormat.MaxBodySize, "record"))
        {
            // An unreadable header is reported precisely by the replay that follows.
            if (!SegmentHeader.TryRead(reader.ReadHeader(LogFormat.SegmentHeaderSize), out var header, out _)) return null;
            previous = header.PreviousTransactionId;
        }
        return previous > from
            ? $"the log starts after transaction {previous} ({segment.Path}), so it does not reach back to {start} (transaction {from}); " +
                "the records in between are gone (look in log/archive or restore a backup)"
            : null;
    }

    /// <summary>Why a start refuses a record or snapshot whose transaction id is past <see cref="LogFormat.MaxTransactionId"/>.</summary>
    private static string PastLastId(ulong id) =>
        $"transaction id {id} is past the highest a node writes ({LogFormat.MaxTransactionId}: it numbers transactions with a signed 64-bit counter)";
}
