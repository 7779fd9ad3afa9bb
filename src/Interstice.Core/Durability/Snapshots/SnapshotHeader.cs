using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// The header of a snapshot (<see cref="FileHeader"/>, magic "INTSSNAP"): the id of the last
/// transaction the snapshot contains, and that transaction's timestamp (i64, microseconds since
/// the Unix epoch).
/// </summary>
internal readonly record struct SnapshotHeader(ulong LastTransactionId, long Timestamp)
{
    public void Write(Span<byte> destination) =>
        FileHeader.Write(destination, SnapshotFormat.Magic, SnapshotFormat.Version, LastTransactionId, (ulong)Timestamp);

    /// <summary>Reads a header; on failure returns false with the reason.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out SnapshotHeader header, out string reason)
    {
        bool valid = FileHeader.TryRead(data, SnapshotFormat.Magic, SnapshotFormat.Version, "snapshot", "a snapshot", out ulong last, out ulong timestamp, out reason);
        header = valid ? new SnapshotHeader(last, (long)timestamp) : default;
        return valid;
    }
}
