using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;

namespace Interstice.Core.Durability.Recovery;

/// <summary>What <see cref="LogRecovery.Recover"/> restored, and what it had to repair or skip.</summary>
public sealed class RecoveryResult
{
    internal RecoveryResult(ulong lastTransactionId, long lastTimestamp, NodeCatalog catalog, SnapshotFile? snapshot, long snapshotRows,
        long recordsReplayed, TornTail? tornTail, LogEnd? logEnd, IReadOnlyList<string> warnings, IReadOnlyList<UnfitSnapshot> unfitSnapshots)
    {
        LastTransactionId = lastTransactionId;
        LastTimestamp = lastTimestamp;
        Catalog = catalog;
        Snapshot = snapshot;
        SnapshotRows = snapshotRows;
        RecordsReplayed = recordsReplayed;
        TornTail = tornTail;
        LogEnd = logEnd;
        Warnings = warnings;
        UnfitSnapshots = unfitSnapshots;
    }

    /// <summary>The id of the last transaction restored (0 for an empty node): the next must be greater.</summary>
    public ulong LastTransactionId { get; }

    /// <summary>The timestamp of the last transaction restored (microseconds since the Unix epoch; 0 for an empty node).</summary>
    public long LastTimestamp { get; }

    /// <summary>The node events in effect: the modules the node has, and their table events.</summary>
    public NodeCatalog Catalog { get; }

    /// <summary>The snapshot loaded, if any.</summary>
    public SnapshotFile? Snapshot { get; }

    /// <summary>Rows loaded from the snapshot.</summary>
    public long SnapshotRows { get; }

    /// <summary>Log records applied after the snapshot.</summary>
    public long RecordsReplayed { get; }

    /// <summary>Newer snapshots that were skipped because their content does not fit, newest first (each also a warning).</summary>
    public IReadOnlyList<UnfitSnapshot> UnfitSnapshots { get; }

    /// <summary>The torn tail that was truncated (by a read-only recovery: found and left), if the last write before the crash was cut short.</summary>
    public TornTail? TornTail { get; }

    /// <summary>
    /// Where the log ends, its torn tail cut away: handed to <see cref="CommitLog"/> so that it
    /// appends there without reading the last segment again. Null when recovery read no segment,
    /// or the last was torn within its header (and removed).
    /// </summary>
    internal LogEnd? LogEnd { get; }

    /// <summary>Everything recovery reported on the way (torn tail truncated, invalid or unfit snapshots skipped, a log that ends before the snapshot).</summary>
    public IReadOnlyList<string> Warnings { get; }
}
