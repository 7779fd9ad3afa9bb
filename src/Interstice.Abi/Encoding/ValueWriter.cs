using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace Interstice.Abi.Encoding;

/// <summary>
/// Writes values in the ABI's binary encoding (docs/abi.md section 3) to an
/// <see cref="IBufferWriter{T}"/>. Writing primitives allocates nothing. The writer does not know
/// types: the caller writes the parts of a value in the order its type prescribes.
/// </summary>
public ref struct ValueWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>A writer appending to <paramref name="output"/>.</summary>
    public ValueWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes <c>bool</c>: one byte, 0 or 1.</summary>
    public readonly void WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    /// <summary>Writes <c>u8</c>.</summary>
    public readonly void WriteU8(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    /// <summary>Writes <c>i8</c>.</summary>
    public readonly void WriteI8(sbyte value) => WriteU8((byte)value);

    /// <summary>Writes <c>u16</c> little-endian.</summary>
    public readonly void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_output.GetSpan(2), value);
        _output.Advance(2);
    }

    /// <summary>Writes <c>i16</c> little-endian.</summary>
    public readonly void WriteI16(short value) => WriteU16((ushort)value);

    /// <summary>Writes <c>u32</c> little-endian.</summary>
    public readonly void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_output.GetSpan(4), value);
        _output.Advance(4);
    }

    /// <summary>Writes <c>i32</c> little-endian.</summary>
    public readonly void WriteI32(int value) => WriteU32((uint)value);

    /// <summary>Writes <c>u64</c> little-endian.</summary>
    public readonly void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_output.GetSpan(8), value);
        _output.Advance(8);
    }

    /// <summary>Writes <c>i64</c> little-endian.</summary>
    public readonly void WriteI64(long value) => WriteU64((ulong)value);

    /// <summary>Writes <c>f32</c>: its bit pattern, unchanged (NaN payloads are kept).</summary>
    public readonly void WriteF32(float value) => WriteU32(BitConverter.SingleToUInt32Bits(value));

    /// <summary>Writes <c>f64</c>: its bit pattern, unchanged (NaN payloads are kept).</summary>
    public readonly void WriteF64(double value) => WriteU64(BitConverter.DoubleToUInt64Bits(value));

    /// <summary>Writes a length, element count or variant index: shortest-form LEB128.</summary>
    public readonly void WriteLength(uint value)
    {
        var span = _output.GetSpan(5);
        int n = 0;
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            span[n++] = b;
        }
        while (value != 0);
        _output.Advance(n);
    }

    /// <summary>Writes an enum's variant index.</summary>
    public readonly void WriteVariant(uint index) => WriteLength(index);

    /// <summary>Writes an option's tag: 1 when a value follows, 0 otherwise.</summary>
    public readonly void WriteOptionTag(bool hasValue) => WriteBool(hasValue);

    /// <summary>Writes <c>string</c>. Throws <see cref="ArgumentException"/> for text that is not valid UTF-16 (lone surrogates).</summary>
    public readonly void WriteString(ReadOnlySpan<char> value)
    {
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException("string contains a lone surrogate and has no UTF-8 form", nameof(value), e);
        }
        WriteLength((uint)byteCount);
        var span = _output.GetSpan(byteCount);
        StrictUtf8.GetBytes(value, span);
        _output.Advance(byteCount);
    }

    /// <summary>Writes <c>string</c> from UTF-8 bytes. Throws <see cref="ArgumentException"/> when they are not valid UTF-8.</summary>
    public readonly void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8)) throw new ArgumentException("string is not valid UTF-8", nameof(utf8));
        WriteBytes(utf8);
    }

    /// <summary>Writes <c>bytes</c>: the length, then the bytes.</summary>
    public readonly void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLength((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes already-encoded bytes as they are.</summary>
    public readonly void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) return;
        encoded.CopyTo(_output.GetSpan(encoded.Length));
        _output.Advance(encoded.Length);
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
