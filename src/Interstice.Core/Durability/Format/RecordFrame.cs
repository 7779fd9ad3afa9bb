using System.Buffers.Binary;

namespace Interstice.Core.Durability.Format;

/// <summary>How a record's frame checked out.</summary>
internal enum FrameStatus
{
    Valid,
    /// <summary>The data ends before the frame header or the body does.</summary>
    Incomplete,
    /// <summary>The length field is below the smallest or above the largest body.</summary>
    BadLength,
    BadChecksum,
}

/// <summary>
/// The frame around a record body or snapshot block: body length u32, then the CRC-32C of the
/// length field followed by the body (so a damaged length is caught too), then the body.
/// </summary>
internal static class RecordFrame
{
    /// <summary>Writes the length and checksum of the frame that <paramref name="frame"/> is (its body already written after the 8 header bytes).</summary>
    public static void Seal(Span<byte> frame)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(frame.Length - LogFormat.FrameHeaderSize));
        uint state = Crc32C.Update(~0u, frame[..4]);
        state = Crc32C.Update(state, frame[LogFormat.FrameHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], ~state);
    }

    /// <summary>
    /// Checks the frame at the start of <paramref name="data"/> (a <paramref name="noun"/>, in messages): on success
    /// <paramref name="bodyLength"/> is its body's length; otherwise <paramref name="reason"/> says what is wrong.
    /// </summary>
    public static FrameStatus Check(ReadOnlySpan<byte> data, int minBody, int maxBody, out int bodyLength, out string reason, string noun = "record")
    {
        bodyLength = 0;
        if (data.Length < LogFormat.FrameHeaderSize)
        {
            reason = $"incomplete {noun} header ({data.Length} of {LogFormat.FrameHeaderSize} bytes)";
            return FrameStatus.Incomplete;
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length < (uint)minBody || length > (uint)maxBody)
        {
            reason = $"invalid {noun} length {length}";
            return FrameStatus.BadLength;
        }
        if (length > (uint)(data.Length - LogFormat.FrameHeaderSize))
        {
            reason = $"{noun} of {length} bytes runs past the end of the file ({data.Length - LogFormat.FrameHeaderSize} bytes left)";
            return FrameStatus.Incomplete;
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        uint state = Crc32C.Update(~0u, data[..4]);
        uint computed = ~Crc32C.Update(state, data.Slice(LogFormat.FrameHeaderSize, (int)length));
        if (stored != computed)
        {
            reason = $"{noun} checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})";
            return FrameStatus.BadChecksum;
        }
        bodyLength = (int)length;
        reason = "";
        return FrameStatus.Valid;
    }
}
