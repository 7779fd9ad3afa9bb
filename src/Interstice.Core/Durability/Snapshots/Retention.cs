using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// After a snapshot is published: keeps the newest <see cref="DurabilityOptions.SnapshotsToKeep"/>
/// snapshots (and removes stale temporary files), and retires the segments wholly before the
/// OLDEST snapshot kept (deleted or moved to the archive), so that recovery can fall back to any
/// kept snapshot when a newer one turns out invalid. The last segment is never touched: the
/// log may be appending to it.
/// </summary>
internal static class Retention
{
    /// <param name="directory">The data directory.</param>
    /// <param name="options">How many snapshots to keep, and what becomes of old segments.</param>
    /// <param name="snapshotTransactionId">The snapshot just published: no segment it needs is retired, whatever the listing shows.</param>
    public static void Apply(DataDirectory directory, DurabilityOptions options, ulong snapshotTransactionId)
    {
        var snapshots = directory.ListSnapshots();
        bool changed = false;
        int oldestKept = Math.Max(0, snapshots.Count - options.SnapshotsToKeep);
        for (int i = 0; i < oldestKept; i++)
        {
            File.Delete(snapshots[i].Path);
            changed = true;
        }
        foreach (var stale in Directory.EnumerateFiles(directory.SnapshotDirectory, "*" + DataDirectory.TemporaryExtension))
        {
            File.Delete(stale);
            changed = true;
        }
        if (changed) FileSync.Directory(directory.SnapshotDirectory);

        ulong keepFrom = snapshotTransactionId;
        if (oldestKept < snapshots.Count) keepFrom = Math.Min(keepFrom, snapshots[oldestKept].LastTransactionId);
        var segments = directory.ListSegments();
        bool retired = false;
        for (int i = 0; i + 1 < segments.Count; i++)
        {
            // Segment i holds ids below the next one's first: all in the oldest kept snapshot when that first is at most its last + 1.
            if (segments[i + 1].FirstTransactionId > keepFrom + 1) break;
            if (options.OldSegments == SegmentRetention.Archive)
            {
                Directory.CreateDirectory(directory.ArchiveDirectory);
                File.Move(segments[i].Path, Path.Combine(directory.ArchiveDirectory, Path.GetFileName(segments[i].Path)));
            }
            else
            {
                File.Delete(segments[i].Path);
            }
            retired = true;
        }
        if (retired)
        {
            if (options.OldSegments == SegmentRetention.Archive) FileSync.Directory(directory.ArchiveDirectory);
            FileSync.Directory(directory.LogDirectory);
        }
    }
}
