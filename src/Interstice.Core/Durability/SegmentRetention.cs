namespace Interstice.Core.Durability;

/// <summary>What happens to log segments that a new snapshot makes unnecessary for recovery.</summary>
public enum SegmentRetention
{
    /// <summary>They are deleted.</summary>
    Delete,
    /// <summary>They are moved to <c>log/archive/</c> (kept for audit or point-in-time restores; recovery also reads them when it must fall back to an older snapshot).</summary>
    Archive,
}
