namespace Interstice.Core.Durability.Format;

/// <summary>
/// The header of a segment (<see cref="FileHeader"/>, magic "INTSLOG\0"): the id of the
/// segment's first record, and the id of the last record before this segment (0 for none: it
/// chains segments, so a missing one is noticed).
/// </summary>
internal readonly record struct SegmentHeader(ulong FirstTransactionId, ulong PreviousTransactionId)
{
    public void Write(Span<byte> destination) =>
        FileHeader.Write(destination, LogFormat.SegmentMagic, LogFormat.Version, FirstTransactionId, PreviousTransactionId);

    /// <summary>Reads a header; on failure returns false with the reason.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out SegmentHeader header, out string reason)
    {
        header = default;
        if (!FileHeader.TryRead(data, LogFormat.SegmentMagic, LogFormat.Version, "segment", "a commit log segment", out ulong first, out ulong previous, out reason))
            return false;
        if (previous >= first)
        {
            reason = $"segment header says its first transaction {first} follows transaction {previous}";
            return false;
        }
        header = new SegmentHeader(first, previous);
        return true;
    }
}
