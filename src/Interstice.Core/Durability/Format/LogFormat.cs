namespace Interstice.Core.Durability.Format;

/// <summary>
/// The commit log's on-disk format (docs/durability.md describes it byte by byte). A segment is
/// a <see cref="SegmentHeader"/> followed by records; each record is a frame (body length u32,
/// CRC-32C u32 of the length and the body) around a body that starts with the record kind, the
/// transaction id and the timestamp. Integers are little-endian.
/// </summary>
internal static class LogFormat
{
    /// <summary>The first 8 bytes of every segment: "INTSLOG" and a zero byte.</summary>
    public static ReadOnlySpan<byte> SegmentMagic => "INTSLOG\0"u8;

    /// <summary>The segment format this code writes and reads.</summary>
    public const uint Version = 1;

    public const int SegmentHeaderSize = FileHeader.Size;

    /// <summary>Body length (u32) and checksum (u32).</summary>
    public const int FrameHeaderSize = 8;

    /// <summary>Kind (u8), transaction id (u64), timestamp (i64): the start of every body.</summary>
    public const int RecordHeaderSize = 17;

    /// <summary>The largest body a record may have (1 GiB); a larger length field is corrupt.</summary>
    public const int MaxBodySize = 1 << 30;

    /// <summary>
    /// The highest transaction id a node writes: it counts transactions with a signed 64-bit
    /// integer (<see cref="CommitRecord.Sequence"/>) and stops one short of its end, so that every
    /// id it wrote is one recovery takes back. A log or snapshot past it is refused.
    /// </summary>
    public const ulong MaxTransactionId = long.MaxValue - 1;

    /// <summary>Segment files are named by their first transaction id, zero-padded to 20 digits, so that names sort in log order.</summary>
    public const string SegmentExtension = ".log";
}
