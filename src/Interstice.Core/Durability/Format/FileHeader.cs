using System.Buffers.Binary;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// The 40 bytes a segment and a snapshot both start with: magic (8 bytes), format version u32,
/// flags u32 (0), two u64 fields whose meaning is the file kind's, reserved u32 (0), and the
/// CRC-32C of the 36 bytes before it. A header whose flags or reserved field is not 0 is refused
/// like one of another version.
/// </summary>
internal static class FileHeader
{
    public const int Size = 40;

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> magic, uint version, ulong first, ulong second)
    {
        var header = destination[..Size];
        header.Clear();
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], first);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], second);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
    }

    /// <summary>
    /// Reads a header of the kind <paramref name="magic"/> names (<paramref name="noun"/> in
    /// messages: "segment", "snapshot"; <paramref name="what"/> in the wrong-magic message); on
    /// failure returns false with the reason.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic, uint version, string noun, string what,
        out ulong first, out ulong second, out string reason)
    {
        first = second = 0;
        if (data.Length < Size)
        {
            reason = $"the {noun} header needs {Size} bytes, the file has {data.Length}";
            return false;
        }
        if (!data[..8].SequenceEqual(magic))
        {
            reason = $"not {what} (wrong magic bytes)";
            return false;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[36..]) != Crc32C.Compute(data[..36]))
        {
            reason = $"{noun} header checksum mismatch";
            return false;
        }
        uint found = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (found != version)
        {
            reason = $"{noun} format version {found} is not supported (this build reads version {version})";
            return false;
        }
        // Version 1 writes both as 0; a file with either set was written by something this build cannot read right.
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (flags != 0)
        {
            reason = $"{noun} header flags 0x{flags:x8} are not known to this build (format version {version} has none)";
            return false;
        }
        uint reserved = BinaryPrimitives.ReadUInt32LittleEndian(data[32..]);
        if (reserved != 0)
        {
            reason = $"{noun} header's reserved field is 0x{reserved:x8}, not 0";
            return false;
        }
        first = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]);
        second = BinaryPrimitives.ReadUInt64LittleEndian(data[24..]);
        reason = "";
        return true;
    }
}
