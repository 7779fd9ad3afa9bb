using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// The order-preserving byte encoding of key values. Encoded keys compare with one comparator,
/// lexicographic unsigned byte order (<see cref="KeyComparer"/>), and that order is the natural
/// order of the values:
/// <list type="bullet">
/// <item>unsigned integers: big-endian, fixed width;</item>
/// <item>signed integers: big-endian, fixed width, sign bit flipped (so -1 sorts before 0);</item>
/// <item>bool: one byte, 0 or 1;</item>
/// <item>String (UTF-8) and bytes: every 0x00 is written 0x00 0xFF and the value ends with
/// 0x00 0x00, so the encoding is prefix-free ("a" &lt; "a\0" &lt; "ab") and keys of several
/// columns can be concatenated and still compare column by column.</item>
/// </list>
/// Writers live in <see cref="KeyWriter"/>; this class holds the span-level primitives.
/// </summary>
public static class KeyEncoding
{
    /// <summary>The byte that follows 0x00 for a 0x00 inside a String or bytes value.</summary>
    public const byte EscapedZero = 0xFF;

    /// <summary>The byte that follows 0x00 at the end of a String or bytes value.</summary>
    public const byte Terminator = 0x00;

    public static void WriteU16(Span<byte> destination, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(destination, value);
    public static void WriteU32(Span<byte> destination, uint value) => BinaryPrimitives.WriteUInt32BigEndian(destination, value);
    public static void WriteU64(Span<byte> destination, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(destination, value);
    public static void WriteI16(Span<byte> destination, short value) => WriteU16(destination, (ushort)(value ^ short.MinValue));
    public static void WriteI32(Span<byte> destination, int value) => WriteU32(destination, (uint)(value ^ int.MinValue));
    public static void WriteI64(Span<byte> destination, long value) => WriteU64(destination, (ulong)(value ^ long.MinValue));

    public static ushort ReadU16(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16BigEndian(source);
    public static uint ReadU32(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);
    public static ulong ReadU64(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);
    public static short ReadI16(ReadOnlySpan<byte> source) => (short)(ReadU16(source) ^ 0x8000);
    public static int ReadI32(ReadOnlySpan<byte> source) => (int)(ReadU32(source) ^ 0x8000_0000u);
    public static long ReadI64(ReadOnlySpan<byte> source) => (long)(ReadU64(source) ^ 0x8000_0000_0000_0000ul);

    /// <summary>The encoded length of a String or bytes value: its bytes, one more per 0x00, and 2.</summary>
    public static int GetEscapedLength(ReadOnlySpan<byte> value) => value.Length + value.Count((byte)0) + 2;

    /// <summary>
    /// Writes a String (UTF-8) or bytes value escaped and terminated; returns the bytes written.
    /// <paramref name="destination"/> must hold <see cref="GetEscapedLength"/> bytes.
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteEscaped(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        int written = 0;
        while (true)
        {
            int zero = value.IndexOf((byte)0);
            if (zero < 0)
            {
                value.CopyTo(destination[written..]);
                written += value.Length;
                break;
            }
            value[..zero].CopyTo(destination[written..]);
            written += zero;
            destination[written++] = 0;
            destination[written++] = EscapedZero;
            value = value[(zero + 1)..];
        }
        destination[written++] = 0;
        destination[written++] = Terminator;
        return written;
    }

    /// <summary>
    /// Reads a String or bytes value written by <see cref="WriteEscaped"/> from the start of
    /// <paramref name="source"/>: returns false when the bytes are not such an encoding.
    /// </summary>
    /// <param name="source">Encoded key bytes starting at the value.</param>
    /// <param name="value">The unescaped value.</param>
    /// <param name="consumed">The encoded length, terminator included.</param>
    public static bool TryReadEscaped(ReadOnlySpan<byte> source, out byte[] value, out int consumed)
    {
        var result = new List<byte>(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            byte b = source[i++];
            if (b != 0)
            {
                result.Add(b);
                continue;
            }
            if (i >= source.Length) break;
            byte next = source[i++];
            if (next == Terminator)
            {
                value = result.ToArray();
                consumed = i;
                return true;
            }
            if (next != EscapedZero) break;
            result.Add(0);
        }
        value = [];
        consumed = 0;
        return false;
    }
}
