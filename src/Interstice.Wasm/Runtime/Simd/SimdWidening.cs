using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Instructions that change the lane width: narrowing with saturation, extension, extended
/// multiplication, pairwise extended addition and the i16 dot product.
/// </summary>
internal static class SimdWidening
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // Signed narrowing saturates to the signed range: the portable NarrowWithSaturation of signed lanes does exactly that.
    [MethodImpl(Inline)] public static V I8x16NarrowI16x8S(V a, V b) => Vector128.NarrowWithSaturation(a.AsInt16(), b.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I16x8NarrowI32x4S(V a, V b) => Vector128.NarrowWithSaturation(a.AsInt32(), b.AsInt32()).AsByte();

    /// <summary>
    /// Signed i16 lanes saturated to the unsigned u8 range (-1 becomes 0). .NET's unsigned
    /// NarrowWithSaturation reads its input as unsigned (-1 would become 255), so negative lanes
    /// are cleared first when <c>packuswb</c> is not there to do it all.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16NarrowI16x8U(V a, V b)
    {
        Vector128<short> x = a.AsInt16(), y = b.AsInt16();
        if (Sse2.IsSupported) return Sse2.PackUnsignedSaturate(x, y);
        return Vector128.NarrowWithSaturation(Vector128.Max(x, Vector128<short>.Zero).AsUInt16(), Vector128.Max(y, Vector128<short>.Zero).AsUInt16());
    }

    /// <summary>Signed i32 lanes saturated to the unsigned u16 range (<c>packusdw</c>, SSE4.1); see <see cref="I8x16NarrowI16x8U"/>.</summary>
    [MethodImpl(Inline)]
    public static V I16x8NarrowI32x4U(V a, V b)
    {
        Vector128<int> x = a.AsInt32(), y = b.AsInt32();
        if (Sse41.IsSupported) return Sse41.PackUnsignedSaturate(x, y).AsByte();
        return Vector128.NarrowWithSaturation(Vector128.Max(x, Vector128<int>.Zero).AsUInt32(), Vector128.Max(y, Vector128<int>.Zero).AsUInt32()).AsByte();
    }

    [MethodImpl(Inline)] public static V I16x8ExtendLowI8x16S(V a) => Vector128.WidenLower(a.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendHighI8x16S(V a) => Vector128.WidenUpper(a.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendLowI8x16U(V a) => Vector128.WidenLower(a).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendHighI8x16U(V a) => Vector128.WidenUpper(a).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendLowI16x8S(V a) => Vector128.WidenLower(a.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendHighI16x8S(V a) => Vector128.WidenUpper(a.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendLowI16x8U(V a) => Vector128.WidenLower(a.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendHighI16x8U(V a) => Vector128.WidenUpper(a.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendLowI32x4S(V a) => Vector128.WidenLower(a.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendHighI32x4S(V a) => Vector128.WidenUpper(a.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendLowI32x4U(V a) => Vector128.WidenLower(a.AsUInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendHighI32x4U(V a) => Vector128.WidenUpper(a.AsUInt32()).AsByte();

    // The product of two extended lanes always fits the wide lane, so a wrapping multiply of the widened lanes is exact.
    [MethodImpl(Inline)] public static V I16x8ExtmulLowI8x16S(V a, V b) => (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulHighI8x16S(V a, V b) => (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulLowI8x16U(V a, V b) => (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulHighI8x16U(V a, V b) => (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulLowI16x8S(V a, V b) => (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulHighI16x8S(V a, V b) => (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulLowI16x8U(V a, V b) => (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulHighI16x8U(V a, V b) => (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    // 32x32->64: pmuldq/pmuludq multiply lanes 0 and 2; unpacking a vector with itself puts the wanted lanes there.
    [MethodImpl(Inline)]
    public static V I64x2ExtmulLowI32x4S(V a, V b) => Sse41.IsSupported
        ? Sse41.Multiply(Sse2.UnpackLow(a.AsInt32(), a.AsInt32()), Sse2.UnpackLow(b.AsInt32(), b.AsInt32())).AsByte()
        : (Vector128.WidenLower(a.AsInt32()) * Vector128.WidenLower(b.AsInt32())).AsByte();

    [MethodImpl(Inline)]
    public static V I64x2ExtmulHighI32x4S(V a, V b) => Sse41.IsSupported
        ? Sse41.Multiply(Sse2.UnpackHigh(a.AsInt32(), a.AsInt32()), Sse2.UnpackHigh(b.AsInt32(), b.AsInt32())).AsByte()
        : (Vector128.WidenUpper(a.AsInt32()) * Vector128.WidenUpper(b.AsInt32())).AsByte();

    [MethodImpl(Inline)]
    public static V I64x2ExtmulLowI32x4U(V a, V b) => Sse2.IsSupported
        ? Sse2.Multiply(Sse2.UnpackLow(a.AsUInt32(), a.AsUInt32()), Sse2.UnpackLow(b.AsUInt32(), b.AsUInt32())).AsByte()
        : (Vector128.WidenLower(a.AsUInt32()) * Vector128.WidenLower(b.AsUInt32())).AsByte();

    [MethodImpl(Inline)]
    public static V I64x2ExtmulHighI32x4U(V a, V b) => Sse2.IsSupported
        ? Sse2.Multiply(Sse2.UnpackHigh(a.AsUInt32(), a.AsUInt32()), Sse2.UnpackHigh(b.AsUInt32(), b.AsUInt32())).AsByte()
        : (Vector128.WidenUpper(a.AsUInt32()) * Vector128.WidenUpper(b.AsUInt32())).AsByte();

    /// <summary>Sums of adjacent signed bytes: <c>pmaddubsw</c> with ones, or each 16-bit lane's sign-extended low byte plus its high byte.</summary>
    [MethodImpl(Inline)]
    public static V I16x8ExtaddPairwiseI8x16S(V a)
    {
        if (Ssse3.IsSupported) return Ssse3.MultiplyAddAdjacent(Vector128.Create((byte)1), a.AsSByte()).AsByte();
        var pairs = a.AsInt16();
        return (Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(pairs, 8), 8) + Vector128.ShiftRightArithmetic(pairs, 8)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I16x8ExtaddPairwiseI8x16U(V a)
    {
        if (Ssse3.IsSupported) return Ssse3.MultiplyAddAdjacent(a, Vector128.Create((sbyte)1)).AsByte();
        var pairs = a.AsUInt16();
        return ((pairs & Vector128.Create((ushort)0xFF)) + Vector128.ShiftRightLogical(pairs, 8)).AsByte();
    }

    /// <summary>Sums of adjacent signed i16 lanes: <c>pmaddwd</c> with ones, or shifts as for bytes.</summary>
    [MethodImpl(Inline)]
    public static V I32x4ExtaddPairwiseI16x8S(V a)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), Vector128.Create((short)1)).AsByte();
        var pairs = a.AsInt32();
        return (Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(pairs, 16), 16) + Vector128.ShiftRightArithmetic(pairs, 16)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I32x4ExtaddPairwiseI16x8U(V a)
    {
        var pairs = a.AsUInt32();
        return ((pairs & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(pairs, 16)).AsByte();
    }

    /// <summary>
    /// Products of signed i16 lanes, adjacent pairs added into i32 lanes (wrapping, as WebAssembly
    /// does when both pairs are -32768 * -32768): exactly <c>pmaddwd</c>.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4DotI16x8S(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsByte();
        Vector128<int> x = a.AsInt32(), y = b.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(y, 16), 16);
        var odd = Vector128.ShiftRightArithmetic(x, 16) * Vector128.ShiftRightArithmetic(y, 16);
        return (even + odd).AsByte();
    }
}
