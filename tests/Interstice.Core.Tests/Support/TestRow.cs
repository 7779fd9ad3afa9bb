using System.Buffers.Binary;
using System.Text;

namespace Interstice.Core.Tests.Support;

/// <summary>
/// The rows of the test tables, in a fixed test encoding (the real encoding is the module
/// contract's, supplied by the node): id u64 LE | score i32 LE | name (u16 LE length, UTF-8) |
/// tag (u16 LE length, UTF-8).
/// </summary>
public sealed record TestRow(ulong Id, int Score, string Name, string Tag = "")
{
    public byte[] Encode()
    {
        var name = Encoding.UTF8.GetBytes(Name);
        var tag = Encoding.UTF8.GetBytes(Tag);
        var row = new byte[8 + 4 + 2 + name.Length + 2 + tag.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(row, Id);
        BinaryPrimitives.WriteInt32LittleEndian(row.AsSpan(8), Score);
        BinaryPrimitives.WriteUInt16LittleEndian(row.AsSpan(12), (ushort)name.Length);
        name.CopyTo(row, 14);
        BinaryPrimitives.WriteUInt16LittleEndian(row.AsSpan(14 + name.Length), (ushort)tag.Length);
        tag.CopyTo(row, 16 + name.Length);
        return row;
    }

    public static TestRow Decode(ReadOnlySpan<byte> row)
    {
        var name = NameBytes(row);
        var tag = TagBytes(row);
        return new TestRow(
            BinaryPrimitives.ReadUInt64LittleEndian(row),
            BinaryPrimitives.ReadInt32LittleEndian(row[8..]),
            Encoding.UTF8.GetString(name),
            Encoding.UTF8.GetString(tag));
    }

    public static TestRow Decode(ReadOnlyMemory<byte> row) => Decode(row.Span);

    /// <summary>Throws <see cref="FormatException"/> when the row is too short for its lengths.</summary>
    public static ReadOnlySpan<byte> NameBytes(ReadOnlySpan<byte> row)
    {
        if (row.Length < 16) throw new FormatException($"a row needs at least 16 bytes, this one has {row.Length}");
        int length = BinaryPrimitives.ReadUInt16LittleEndian(row[12..]);
        if (14 + length + 2 > row.Length) throw new FormatException("the name runs past the end of the row");
        return row.Slice(14, length);
    }

    public static ReadOnlySpan<byte> TagBytes(ReadOnlySpan<byte> row)
    {
        int nameLength = NameBytes(row).Length;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(row[(14 + nameLength)..]);
        if (16 + nameLength + length > row.Length) throw new FormatException("the tag runs past the end of the row");
        return row.Slice(16 + nameLength, length);
    }
}
