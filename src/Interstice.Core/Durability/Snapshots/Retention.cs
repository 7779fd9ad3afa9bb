using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// After a snapshot is published: keeps the newest <see cref="DurabilityOptions.SnapshotsToKeep"/>
/// snapshots (and removes stale temporary files), and retires the segments wholly before the
/// newest snapshot (deleted or moved to the archive). The last segment is never touched: the
/// log may be appending to it.
/// </summary>
internal static class Retention
{
    public static void Apply(DataDirectory directory, DurabilityOptions options, ulong snapshotTransactionId)
    {
        var snapshots = directory.ListSnapshots();
        bool changed = false;
        for (int i = 0; i < snapshots.Count - options.SnapshotsToKeep; i++)
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

        var segments = directory.ListSegments();
        bool retired = false;
        for (int i = 0; i + 1 < segments.Count; i++)
        {
            // Segment i holds ids below the next one's first: all in the snapshot when that first is at most its last + 1.
            if (segments[i + 1].FirstTransactionId > snapshotTransactionId + 1) break;
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
