using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability;

/// <summary>How a node keeps its state durable: where, the fsync policy, segment and snapshot settings.</summary>
public sealed record DurabilityOptions
{
    public DurabilityOptions(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = dataDirectory;
    }

    /// <summary>The node's data directory (see <see cref="Durability.DataDirectory"/> for its layout).</summary>
    public string DataDirectory { get; }

    public DurabilityPolicy Policy { get; init; } = DurabilityPolicy.Sync;

    /// <summary>Under <see cref="DurabilityPolicy.Interval"/>, the longest time written records wait for an fsync.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A segment is sealed and a new one started when the next record would take it past this size.</summary>
    public long SegmentSize { get; init; } = 64L << 20;

    /// <summary>A snapshot is taken after this many logged records since the last one (0: never by count).</summary>
    public long SnapshotEveryRecords { get; init; } = 1_000_000;

    /// <summary>A snapshot is taken after this many bytes of log since the last one (0: never by size).</summary>
    public long SnapshotEveryBytes { get; init; } = 256L << 20;

    /// <summary>How many snapshots to keep (at least 1); older ones are deleted once a new one is written.</summary>
    public int SnapshotsToKeep { get; init; } = 2;

    /// <summary>What happens to the segments wholly before the oldest snapshot kept (so every kept snapshot stays usable).</summary>
    public SegmentRetention OldSegments { get; init; } = SegmentRetention.Delete;

    /// <summary>When this many bytes of records wait to be written, appending waits for the writer (bounded memory).</summary>
    public int MaxPendingBytes { get; init; } = 64 << 20;

    /// <summary>
    /// Called with each warning (a torn tail truncated, a snapshot that failed or was skipped);
    /// for a snapshot, on its thread, with the same rule as <see cref="SnapshotWritten"/>. An
    /// exception from it is ignored.
    /// </summary>
    public Action<string>? Warning { get; init; }

    /// <summary>
    /// Called on the snapshot writer's thread after each snapshot is published (and retention
    /// applied), with what it holds and cost. An exception from it is reported as a warning (the
    /// snapshot stays published). It must not take a snapshot or close the node: that would wait
    /// for the thread it runs on, and throws <see cref="InvalidOperationException"/> instead.
    /// </summary>
    public Action<Snapshots.SnapshotReport>? SnapshotWritten { get; init; }

    /// <summary>Test observation of file operations (see <see cref="LogFileHooks"/>).</summary>
    internal LogFileHooks? Hooks { get; init; }

    /// <summary>Calls <see cref="Warning"/>; an exception from it is ignored, since a warning must not fail what warns.</summary>
    internal void Warn(string message)
    {
        try
        {
            Warning?.Invoke(message);
        }
        catch (Exception)
        {
            // The callback is the options' owner's; its failure has nowhere else to go.
        }
    }

    internal void Validate()
    {
        if (FlushInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "the flush interval must be positive");
        if (SegmentSize < 4096) throw new ArgumentOutOfRangeException(nameof(SegmentSize), SegmentSize, "a segment must be allowed at least 4096 bytes");
        if (SnapshotEveryRecords < 0) throw new ArgumentOutOfRangeException(nameof(SnapshotEveryRecords), SnapshotEveryRecords, "must be 0 (never) or positive");
        if (SnapshotEveryBytes < 0) throw new ArgumentOutOfRangeException(nameof(SnapshotEveryBytes), SnapshotEveryBytes, "must be 0 (never) or positive");
        if (SnapshotsToKeep < 1) throw new ArgumentOutOfRangeException(nameof(SnapshotsToKeep), SnapshotsToKeep, "keep at least one snapshot");
        if (MaxPendingBytes < 4096) throw new ArgumentOutOfRangeException(nameof(MaxPendingBytes), MaxPendingBytes, "allow at least 4096 pending bytes");
        if (!Enum.IsDefined(Policy)) throw new ArgumentOutOfRangeException(nameof(Policy), Policy, "not a durability policy");
        if (!Enum.IsDefined(OldSegments)) throw new ArgumentOutOfRangeException(nameof(OldSegments), OldSegments, "not a retention choice");
    }
}
