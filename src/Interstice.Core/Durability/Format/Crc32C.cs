using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interstice.Core.Durability.Format;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every log record and snapshot block. Computed with
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, which uses the processor's CRC32
/// instruction where there is one (SSE 4.2, ARMv8). Check value: "123456789" gives 0xE3069283.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>Feeds <paramref name="data"/> into a running CRC state (start from <c>~0u</c>, finish with <c>~state</c>).</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            if (!BitConverter.IsLittleEndian) word = BinaryPrimitives.ReverseEndianness(word);
            state = BitOperations.Crc32C(state, word);
        }
        for (; i < length; i++) state = BitOperations.Crc32C(state, Unsafe.Add(ref start, i));
        return state;
    }

    /// <summary>
    /// The state <see cref="Update"/> reaches from <paramref name="state"/> over <paramref name="count"/>
    /// zero bytes, without reading them: the CRC is linear, so
    /// <c>Update(s, data) == Shift(s, data.Length) ^ Update(0, data)</c>. That lets the checksum of
    /// any range be had from the states at its two ends (as zlib's crc32_combine does).
    /// </summary>
    public static uint Shift(uint state, uint count)
    {
        // Multiply by x^(8 count) modulo the polynomial, one byte of count at a time.
        for (int digit = 0; count != 0; digit++, count >>= 8)
        {
            if ((count & 0xFF) != 0) state = MultiplyModulo(ZeroBytePowers[(digit << 8) | (int)(count & 0xFF)], state);
        }
        return state;
    }

    /// <summary>The reflected Castagnoli polynomial.</summary>
    private const uint Polynomial = 0x82F63B78;

    /// <summary>Entry <c>256 d + v</c> is x^(8 v 256^d) modulo the polynomial (bit-reflected): the shift over v 256^d zero bytes.</summary>
    private static readonly uint[] ZeroBytePowers = MakeZeroBytePowers();

    private static uint[] MakeZeroBytePowers()
    {
        var table = new uint[4 * 256];
        uint power = 1u << 30; // x^1
        for (int i = 0; i < 3; i++) power = MultiplyModulo(power, power); // x^8: one zero byte
        for (int digit = 0; digit < 4; digit++)
        {
            uint value = 1u << 31; // x^0
            for (int v = 0; v < 256; v++)
            {
                table[(digit << 8) | v] = value;
                value = MultiplyModulo(value, power);
            }
            power = value; // x^(8 256^(digit + 1))
        }
        return table;
    }

    /// <summary>a * b modulo the polynomial, both bit-reflected.</summary>
    private static uint MultiplyModulo(uint a, uint b)
    {
        uint product = 0;
        for (uint bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0) product ^= b;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }
}
