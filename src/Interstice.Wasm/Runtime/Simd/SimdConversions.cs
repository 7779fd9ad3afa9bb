using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Conversions between integer and float lanes, and between float widths. The saturating
/// truncations use SSE sequences whose fix-ups are spelled out (<c>cvttps2dq</c> alone turns NaN
/// and every out-of-range lane into 0x80000000); without SSE they use .NET's conversions, which
/// saturate and map NaN to 0 exactly as WebAssembly does.
/// </summary>
internal static class SimdConversions
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    private const float TwoTo31F = 2147483648f;
    private const double TwoTo52 = 4503599627370496.0;

    [MethodImpl(Inline)] public static V F32x4ConvertI32x4S(V a) => Vector128.ConvertToSingle(a.AsInt32()).AsByte();

    /// <summary>
    /// u32 to f32, rounded once: the high and low 16 bits convert exactly, and their sum is the
    /// only rounding (the portable conversion is not guaranteed to round once without AVX-512).
    /// </summary>
    [MethodImpl(Inline)]
    public static V F32x4ConvertI32x4U(V a)
    {
        var x = a.AsUInt32();
        var high = Vector128.ConvertToSingle(Vector128.ShiftRightLogical(x, 16).AsInt32()) * Vector128.Create(65536f);
        var low = Vector128.ConvertToSingle((x & Vector128.Create(0xFFFFu)).AsInt32());
        return (high + low).AsByte();
    }

    /// <summary>
    /// f32 to i32, saturating, NaN to 0: NaN lanes are zeroed, <c>cvttps2dq</c> converts (too
    /// large or too small gives 0x80000000), and lanes at or above 2^31 are flipped to 0x7FFFFFFF.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF32x4S(V a)
    {
        var x = a.AsSingle();
        if (!Sse2.IsSupported) return Vector128.ConvertToInt32(x).AsByte();
        x = Sse.And(x, Sse.CompareEqual(x, x));
        var tooLarge = Sse.CompareGreaterThanOrEqual(x, Vector128.Create(TwoTo31F)).AsInt32();
        return Sse2.Xor(Sse2.ConvertToVector128Int32WithTruncation(x), tooLarge).AsByte();
    }

    /// <summary>
    /// f32 to u32, saturating, NaN and negatives to 0. After clamping below at 0 (<c>maxps</c>
    /// with 0 second also turns NaN into 0), lanes below 2^31 convert directly; the others
    /// convert as 0x80000000 plus the conversion of x - 2^31, which is made 0x7FFFFFFF when
    /// x is 2^32 or more and 0 when x is below 2^31.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF32x4U(V a)
    {
        var x = a.AsSingle();
        if (!Sse41.IsSupported) return Vector128.ConvertToUInt32(x).AsByte();
        x = Sse.Max(x, Vector128<float>.Zero);
        var twoTo31 = Vector128.Create(TwoTo31F);
        var above = Sse.Subtract(x, twoTo31);
        var tooLarge = Sse.CompareLessThanOrEqual(twoTo31, above).AsInt32();
        var excess = Sse41.Max(Sse2.Xor(Sse2.ConvertToVector128Int32WithTruncation(above), tooLarge), Vector128<int>.Zero);
        return Sse2.Add(Sse2.ConvertToVector128Int32WithTruncation(x), excess).AsByte();
    }

    /// <summary>
    /// f64 to i32 in the two low lanes, saturating, NaN to 0, high lanes 0. Lanes are clamped
    /// above at 2^31 - 1 (NaN lanes at 0: <c>minpd</c> returns its second operand for NaN), and
    /// <c>cvttpd2dq</c> gives 0x80000000 for whatever is still too small and zeroes the high lanes.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF64x2SZero(V a)
    {
        var x = a.AsDouble();
        if (!Sse2.IsSupported) return Vector128.NarrowWithSaturation(Vector128.ConvertToInt64(x), Vector128<long>.Zero).AsByte();
        var limit = Sse2.And(Sse2.CompareEqual(x, x), Vector128.Create(2147483647.0));
        return Sse2.ConvertToVector128Int32WithTruncation(Sse2.Min(x, limit)).AsByte();
    }

    /// <summary>
    /// f64 to u32 in the two low lanes, saturating, NaN and negatives to 0, high lanes 0: clamp
    /// to [0, 2^32 - 1], truncate, then add 2^52 so that the integer is the low half of each
    /// double's bits, and gather those halves.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF64x2UZero(V a)
    {
        var x = a.AsDouble();
        if (!Sse41.IsSupported) return Vector128.NarrowWithSaturation(Vector128.ConvertToUInt64(x), Vector128<ulong>.Zero).AsByte();
        x = Sse2.Min(Sse2.Max(x, Vector128<double>.Zero), Vector128.Create(4294967295.0));
        x = Sse2.Add(Sse41.RoundToZero(x), Vector128.Create(TwoTo52));
        return Sse.Shuffle(x.AsSingle(), Vector128<float>.Zero, 0b00_00_10_00).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F64x2ConvertLowI32x4S(V a) =>
        (Sse2.IsSupported ? Sse2.ConvertToVector128Double(a.AsInt32()) : Vector128.ConvertToDouble(Vector128.WidenLower(a.AsInt32()))).AsByte();

    /// <summary>u32 to f64, exact: the integer becomes the low half of the bits of 2^52 + u, from which 2^52 is subtracted.</summary>
    [MethodImpl(Inline)]
    public static V F64x2ConvertLowI32x4U(V a)
    {
        var biased = (Vector128.WidenLower(a.AsUInt32()) | Vector128.Create(0x4330000000000000ul)).AsDouble();
        return (biased - Vector128.Create(TwoTo52)).AsByte();
    }

    /// <summary>f64 to f32 in the two low lanes (IEEE rounding, NaN quietened), high lanes 0.</summary>
    [MethodImpl(Inline)]
    public static V F32x4DemoteF64x2Zero(V a) =>
        (Sse2.IsSupported ? Sse2.ConvertToVector128Single(a.AsDouble()) : Vector128.Narrow(a.AsDouble(), Vector128<double>.Zero)).AsByte();

    [MethodImpl(Inline)]
    public static V F64x2PromoteLowF32x4(V a) =>
        (Sse2.IsSupported ? Sse2.ConvertToVector128Double(a.AsSingle()) : Vector128.WidenLower(a.AsSingle())).AsByte();
}
