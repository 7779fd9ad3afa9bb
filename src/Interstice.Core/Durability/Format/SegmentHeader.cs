using System.Buffers.Binary;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// The 40 bytes at the start of a segment: magic "INTSLOG\0", format version u32, flags u32
/// (0), the id of the segment's first record u64, the id of the last record before this
/// segment u64 (0 for none: it chains segments, so a missing one is noticed), reserved u32 (0),
/// and the CRC-32C of the 36 bytes before it.
/// </summary>
internal readonly record struct SegmentHeader(ulong FirstTransactionId, ulong PreviousTransactionId)
{
    public void Write(Span<byte> destination)
    {
        var header = destination[..LogFormat.SegmentHeaderSize];
        header.Clear();
        LogFormat.SegmentMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], LogFormat.Version);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], FirstTransactionId);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], PreviousTransactionId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
    }

    /// <summary>Reads a header; on failure returns false with the reason.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out SegmentHeader header, out string reason)
    {
        header = default;
        if (data.Length < LogFormat.SegmentHeaderSize)
        {
            reason = $"the segment header needs {LogFormat.SegmentHeaderSize} bytes, the file has {data.Length}";
            return false;
        }
        if (!data[..8].SequenceEqual(LogFormat.SegmentMagic))
        {
            reason = "not a commit log segment (wrong magic bytes)";
            return false;
        }
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(data[36..]);
        if (crc != Crc32C.Compute(data[..36]))
        {
            reason = "segment header checksum mismatch";
            return false;
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (version != LogFormat.Version)
        {
            reason = $"segment format version {version} is not supported (this build reads version {LogFormat.Version})";
            return false;
        }
        header = new SegmentHeader(BinaryPrimitives.ReadUInt64LittleEndian(data[16..]), BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
        if (header.PreviousTransactionId >= header.FirstTransactionId)
        {
            reason = $"segment header says its first transaction {header.FirstTransactionId} follows transaction {header.PreviousTransactionId}";
            return false;
        }
        reason = "";
        return true;
    }
}
