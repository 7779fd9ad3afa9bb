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
}
