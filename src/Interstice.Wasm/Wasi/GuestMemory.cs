using System.Buffers.Binary;
using System.Text;

namespace Interstice.Wasm.Wasi;

/// <summary>
/// The calling instance's linear memory as WASI functions see it: every guest pointer is a u32
/// checked against the memory's current size before use, and a range that does not fit (or a
/// module without memory) makes the caller answer <c>EFAULT</c> instead of throwing.
/// </summary>
internal readonly unsafe struct GuestMemory(Memory? memory)
{
    /// <summary>A view of <paramref name="length"/> bytes at guest address <paramref name="address"/>, or false when they are not all inside the memory.</summary>
    /// <remarks><paramref name="length"/> is 64-bit so that the size of a guest array (count × element size) is passed without overflowing.</remarks>
    public bool TryGetSpan(int address, ulong length, out Span<byte> span)
    {
        ulong start = (uint)address;
        if (memory is null || length > int.MaxValue || start + length > memory.Size)
        {
            span = default;
            return false;
        }
        span = new Span<byte>(memory.Base + start, (int)length);
        return true;
    }

    public bool TryWriteUInt32(int address, uint value)
    {
        if (!TryGetSpan(address, 4, out var span)) return false;
        BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        return true;
    }

    public bool TryWriteUInt64(int address, ulong value)
    {
        if (!TryGetSpan(address, 8, out var span)) return false;
        BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        return true;
    }

    /// <summary>Decodes the UTF-8 string of <paramref name="length"/> bytes at <paramref name="address"/>; false when out of bounds or not valid UTF-8.</summary>
    public bool TryReadString(int address, int length, out string value, out bool outOfBounds)
    {
        value = "";
        outOfBounds = !TryGetSpan(address, (uint)length, out var span);
        if (outOfBounds) return false;
        try
        {
            value = StrictUtf8.GetString(span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
