using System.Buffers.Binary;
using System.Text;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// Reads what <see cref="FieldWriter"/> wrote, checking every length against what is left: a
/// malformed field throws <see cref="MalformedDataException"/> with its position, never reads
/// out of bounds.
/// </summary>
internal ref struct FieldReader
{
    /// <summary>UTF-8 that throws on invalid bytes instead of replacing them.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public FieldReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        Need(1, "a byte");
        return _data[_position++];
    }

    public ulong ReadUInt64()
    {
        Need(8, "a 64-bit integer");
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public long ReadInt64() => (long)ReadUInt64();

    public ulong ReadVarUInt()
    {
        int start = _position;
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _data.Length) throw new MalformedDataException("a variable-length integer runs past the end", start);
            byte b = _data[_position++];
            if (shift == 63 && b > 1) throw new MalformedDataException("a variable-length integer overflows 64 bits", start);
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
            if (shift == 63) throw new MalformedDataException("a variable-length integer overflows 64 bits", start);
        }
    }

    /// <summary>A count of items that each take at least <paramref name="minItemSize"/> bytes, so that it fits in what is left.</summary>
    public int ReadCount(string what, int minItemSize = 1)
    {
        int start = _position;
        ulong count = ReadVarUInt();
        if (count > (ulong)(Remaining / Math.Max(1, minItemSize)))
        {
            throw new MalformedDataException($"{what} count {count} does not fit in the {Remaining} bytes left", start);
        }
        return (int)count;
    }

    /// <summary>A length-prefixed byte string, as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadBytes(string what)
    {
        int start = _position;
        ulong length = ReadVarUInt();
        if (length > (ulong)Remaining) throw new MalformedDataException($"{what} of {length} bytes runs past the end ({Remaining} bytes left)", start);
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    /// <summary>A length-prefixed UTF-8 string.</summary>
    public string ReadString(string what)
    {
        int start = _position;
        var bytes = ReadBytes(what);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedDataException($"{what} is not valid UTF-8", start);
        }
    }

    /// <summary>Throws unless every byte was read.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0) throw new MalformedDataException($"{Remaining} unexpected bytes after the end of {what}", _position);
    }

    private readonly void Need(int count, string what)
    {
        if (Remaining < count) throw new MalformedDataException($"{what} runs past the end ({Remaining} bytes left)", _position);
    }
}
