using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Integer lane arithmetic. Wrapping add, sub, mul, neg and abs, saturating add and sub, and
/// min and max have exactly the semantics of the portable <see cref="Vector128"/> API; the
/// others use SSE instructions with a portable equivalent where those are missing.
/// </summary>
internal static class SimdIntegerArithmetic
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static V I8x16Add(V a, V b) => a + b;
    [MethodImpl(Inline)] public static V I16x8Add(V a, V b) => (a.AsInt16() + b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Add(V a, V b) => (a.AsInt32() + b.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2Add(V a, V b) => (a.AsInt64() + b.AsInt64()).AsByte();

    [MethodImpl(Inline)] public static V I8x16Sub(V a, V b) => a - b;
    [MethodImpl(Inline)] public static V I16x8Sub(V a, V b) => (a.AsInt16() - b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Sub(V a, V b) => (a.AsInt32() - b.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2Sub(V a, V b) => (a.AsInt64() - b.AsInt64()).AsByte();

    [MethodImpl(Inline)] public static V I16x8Mul(V a, V b) => (a.AsInt16() * b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Mul(V a, V b) => (a.AsInt32() * b.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2Mul(V a, V b) => (a.AsInt64() * b.AsInt64()).AsByte();

    [MethodImpl(Inline)] public static V I8x16Neg(V a) => (-a.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8Neg(V a) => (-a.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Neg(V a) => (-a.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2Neg(V a) => (-a.AsInt64()).AsByte();

    // Vector128.Abs wraps: the most negative value is its own absolute value, as in WebAssembly.
    [MethodImpl(Inline)] public static V I8x16Abs(V a) => Vector128.Abs(a.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8Abs(V a) => Vector128.Abs(a.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Abs(V a) => Vector128.Abs(a.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2Abs(V a) => Vector128.Abs(a.AsInt64()).AsByte();

    [MethodImpl(Inline)] public static V I8x16AddSatS(V a, V b) => Vector128.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I8x16AddSatU(V a, V b) => Vector128.AddSaturate(a, b);
    [MethodImpl(Inline)] public static V I16x8AddSatS(V a, V b) => Vector128.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8AddSatU(V a, V b) => Vector128.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I8x16SubSatS(V a, V b) => Vector128.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I8x16SubSatU(V a, V b) => Vector128.SubtractSaturate(a, b);
    [MethodImpl(Inline)] public static V I16x8SubSatS(V a, V b) => Vector128.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8SubSatU(V a, V b) => Vector128.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(Inline)] public static V I8x16MinS(V a, V b) => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I8x16MinU(V a, V b) => Vector128.Min(a, b);
    [MethodImpl(Inline)] public static V I8x16MaxS(V a, V b) => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I8x16MaxU(V a, V b) => Vector128.Max(a, b);
    [MethodImpl(Inline)] public static V I16x8MinS(V a, V b) => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8MinU(V a, V b) => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8MaxS(V a, V b) => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8MaxU(V a, V b) => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4MinS(V a, V b) => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I32x4MinU(V a, V b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();
    [MethodImpl(Inline)] public static V I32x4MaxS(V a, V b) => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I32x4MaxU(V a, V b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    /// <summary>Rounding average <c>(a + b + 1) / 2</c> without overflow: <c>pavgb</c>, or <c>(a | b) - ((a ^ b) >> 1)</c>.</summary>
    [MethodImpl(Inline)]
    public static V I8x16AvgrU(V a, V b) => Sse2.IsSupported ? Sse2.Average(a, b) : (a | b) - Vector128.ShiftRightLogical(a ^ b, 1);

    [MethodImpl(Inline)]
    public static V I16x8AvgrU(V a, V b)
    {
        Vector128<ushort> x = a.AsUInt16(), y = b.AsUInt16();
        return (Sse2.IsSupported ? Sse2.Average(x, y) : (x | y) - Vector128.ShiftRightLogical(x ^ y, 1)).AsByte();
    }

    /// <summary>Bits set per byte: two lookups of 4-bit counts with <c>pshufb</c>, or the classic bit-twiddling sum.</summary>
    [MethodImpl(Inline)]
    public static V I8x16Popcnt(V a)
    {
        var lowNibbles = Vector128.Create((byte)0x0F);
        if (Ssse3.IsSupported)
        {
            var counts = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            return Ssse3.Shuffle(counts, a & lowNibbles) + Ssse3.Shuffle(counts, Vector128.ShiftRightLogical(a, 4) & lowNibbles);
        }
        var pairs = a - (Vector128.ShiftRightLogical(a, 1) & Vector128.Create((byte)0x55));
        var quads = (pairs & Vector128.Create((byte)0x33)) + (Vector128.ShiftRightLogical(pairs, 2) & Vector128.Create((byte)0x33));
        return (quads + Vector128.ShiftRightLogical(quads, 4)) & lowNibbles;
    }

    /// <summary>
    /// Q15 multiplication, rounded and saturated: <c>(a * b + 0x4000) >> 15</c>. <c>pmulhrsw</c>
    /// computes exactly that but wraps the single overflowing case (-32768 * -32768) to -32768,
    /// which is flipped to 32767; the portable version widens to 32 bits.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I16x8Q15mulrSatS(V a, V b)
    {
        Vector128<short> x = a.AsInt16(), y = b.AsInt16();
        if (Ssse3.IsSupported)
        {
            var product = Ssse3.MultiplyHighRoundScale(x, y);
            return (product ^ Vector128.Equals(product, Vector128.Create(short.MinValue))).AsByte();
        }
        var rounding = Vector128.Create(0x4000);
        var low = Vector128.ShiftRightArithmetic(Vector128.WidenLower(x) * Vector128.WidenLower(y) + rounding, 15);
        var high = Vector128.ShiftRightArithmetic(Vector128.WidenUpper(x) * Vector128.WidenUpper(y) + rounding, 15);
        return Vector128.NarrowWithSaturation(low, high).AsByte();
    }
}
