using System.Buffers.Binary;
using System.Text;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// Writes the fields of log records and snapshot blocks into a span sized beforehand (see the
/// <c>Size</c> helpers): fixed-width little-endian integers, LEB128 variable-length unsigned
/// integers, and byte strings and UTF-8 strings prefixed with their length as a varint.
/// </summary>
internal ref struct FieldWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public FieldWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteInt64(long value) => WriteUInt64((ulong)value);

    public void WriteVarUInt(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_position++] = (byte)value;
    }

    /// <summary>A byte string: its length as a varint, then its bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>A string: its UTF-8 byte count as a varint, then the bytes.</summary>
    public void WriteString(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)count);
        _position += Encoding.UTF8.GetBytes(value, _buffer[_position..]);
    }

    /// <summary>Bytes as they are, without a length.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    public static int VarUIntSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int BytesSize(int length) => VarUIntSize((ulong)length) + length;

    public static int StringSize(string value) => BytesSize(Encoding.UTF8.GetByteCount(value));
}
