using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace Interstice.Abi.Encoding;

/// <summary>
/// Reads values in the ABI's binary encoding (docs/abi.md section 3) from a span, enforcing every
/// decoding rule: bool and option tags are 0 or 1, LEB128 is shortest-form and fits 32 bits,
/// lengths do not run past the input, strings are UTF-8. Problems throw
/// <see cref="AbiDecodeException"/> with the byte offset. Reading primitives allocates nothing.
/// The reader also carries the input's parts budget (<see cref="ValueCodec.PartsBudget"/>): the
/// values read through <see cref="ValueCodec"/> and <see cref="ValueValidator"/> count their parts
/// against it, so that no input decodes to more parts than its length allows.
/// </summary>
public ref struct ValueReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private long _partsLeft;

    /// <summary>A reader at the start of <paramref name="data"/>, with the parts budget of its length.</summary>
    public ValueReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _partsLeft = ValueCodec.PartsBudget(data.Length);
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>How many more parts the values read from this input may hold (see <see cref="ValueCodec.PartsBudget"/>).</summary>
    public readonly long PartsLeft => _partsLeft;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>Throws unless every byte has been read (a buffer must hold exactly one value).</summary>
    public readonly void ExpectEnd()
    {
        if (!AtEnd) throw new AbiDecodeException($"{Remaining} unexpected byte(s) after the value", _position);
    }

    /// <summary>Reads <c>bool</c>; any byte other than 0 or 1 is an error.</summary>
    public bool ReadBool()
    {
        int at = _position;
        byte b = ReadU8();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new AbiDecodeException($"bool must be 0 or 1, found 0x{b:x2}", at),
        };
    }

    /// <summary>Reads an option's tag: true when a value follows.</summary>
    public bool ReadOptionTag()
    {
        int at = _position;
        byte b = ReadU8();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new AbiDecodeException($"option tag must be 0 or 1, found 0x{b:x2}", at),
        };
    }

    /// <summary>Reads <c>u8</c>.</summary>
    public byte ReadU8()
    {
        Need(1, "u8");
        return _data[_position++];
    }

    /// <summary>Reads <c>i8</c>.</summary>
    public sbyte ReadI8() => (sbyte)ReadU8();

    /// <summary>Reads <c>u16</c>.</summary>
    public ushort ReadU16()
    {
        Need(2, "u16");
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(_data[_position..]);
        _position += 2;
        return v;
    }

    /// <summary>Reads <c>i16</c>.</summary>
    public short ReadI16() => (short)ReadU16();

    /// <summary>Reads <c>u32</c>.</summary>
    public uint ReadU32()
    {
        Need(4, "u32");
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
        _position += 4;
        return v;
    }

    /// <summary>Reads <c>i32</c>.</summary>
    public int ReadI32() => (int)ReadU32();

    /// <summary>Reads <c>u64</c>.</summary>
    public ulong ReadU64()
    {
        Need(8, "u64");
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return v;
    }

    /// <summary>Reads <c>i64</c>.</summary>
    public long ReadI64() => (long)ReadU64();

    /// <summary>Reads <c>f32</c> from its bit pattern.</summary>
    public float ReadF32() => BitConverter.UInt32BitsToSingle(ReadU32());

    /// <summary>Reads <c>f64</c> from its bit pattern.</summary>
    public double ReadF64() => BitConverter.UInt64BitsToDouble(ReadU64());

    /// <summary>Reads a shortest-form LEB128 u32 (a length, count or variant index).</summary>
    public uint ReadLength()
    {
        int start = _position;
        uint result = 0;
        for (int i = 0; i < 5; i++)
        {
            if (_position >= _data.Length) throw new AbiDecodeException("LEB128 value runs past the end of the input", start);
            byte b = _data[_position++];
            if (i == 4 && b > 0x0F) throw new AbiDecodeException("LEB128 value does not fit in 32 bits", start);
            result |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) throw new AbiDecodeException("LEB128 value is not in its shortest form", start);
                return result;
            }
        }
        throw new AbiDecodeException("LEB128 value is longer than 5 bytes", start);
    }

    /// <summary>
    /// Reads a vec's element count; it cannot exceed the bytes that remain (every element takes at
    /// least one byte) nor <see cref="PartsLeft"/> (every element is at least one part), so the
    /// elements' array is bounded before it is allocated.
    /// </summary>
    public int ReadCount()
    {
        int at = _position;
        uint count = ReadLength();
        if (count > (uint)Remaining) throw new AbiDecodeException($"count {count} exceeds the {Remaining} remaining byte(s)", at);
        if (count > _partsLeft) throw new AbiDecodeException($"count {count} exceeds the {_partsLeft} part(s) left of {BudgetText}", at);
        return (int)count;
    }

    /// <summary>Counts one part of a value starting at the reader's position; throws when the budget is spent.</summary>
    internal void CountPart()
    {
        if (_partsLeft <= 0) ThrowPartsExceeded();
        _partsLeft--;
    }

    // Out of line, so that CountPart stays small enough to inline into every part's read.
    [DoesNotReturn]
    private readonly void ThrowPartsExceeded() =>
        throw new AbiDecodeException($"the value holds more parts than {BudgetText}", _position);

    /// <summary>Counts <paramref name="parts"/> parts already checked against <see cref="PartsLeft"/> (a run of fixed-size values).</summary>
    internal void CountParts(long parts) => _partsLeft -= parts;

    private readonly string BudgetText =>
        $"the budget of {ValueCodec.PartsBudget(_data.Length)} parts for {_data.Length} input byte(s) ({ValueCodec.MaxZeroByteParts} + {ValueCodec.MaxPartsPerByte} per byte)";

    /// <summary>Reads an enum's variant index and checks it is below <paramref name="variantCount"/>.</summary>
    public int ReadVariant(int variantCount)
    {
        int at = _position;
        uint index = ReadLength();
        if (index >= (uint)variantCount) throw new AbiDecodeException($"variant index {index} is out of range (the enum has {variantCount} variants)", at);
        return (int)index;
    }

    /// <summary>Reads <c>bytes</c>; the result is a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        int at = _position;
        uint length = ReadLength();
        if (length > (uint)Remaining) throw new AbiDecodeException($"length {length} exceeds the {Remaining} remaining byte(s)", at);
        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>Reads <c>string</c> as validated UTF-8 bytes (a slice of the input; no allocation).</summary>
    public ReadOnlySpan<byte> ReadUtf8()
    {
        int at = _position;
        var bytes = ReadBytes();
        if (!Utf8.IsValid(bytes)) throw new AbiDecodeException("string is not valid UTF-8", at);
        return bytes;
    }

    /// <summary>Reads <c>string</c>.</summary>
    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadUtf8());

    /// <summary>Reads <paramref name="count"/> raw bytes (a slice of the input).</summary>
    public ReadOnlySpan<byte> ReadRaw(int count)
    {
        Need(count, "bytes");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly void Need(int count, string what)
    {
        if (Remaining < count) throw new AbiDecodeException($"{what} needs {count} byte(s), {Remaining} remain", _position);
    }
}
