using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Float lane arithmetic and comparisons. IEEE operations (add, sub, mul, div, sqrt, rounding)
/// and the ordered comparisons are the portable <see cref="Vector128"/> API; abs and neg only
/// touch the sign bit; min and max follow WebAssembly's NaN and signed-zero rules, which neither
/// <c>minps</c> nor <see cref="Vector128.Min{T}(Vector128{T}, Vector128{T})"/> do (the latter
/// returns a signalling NaN operand unquietened).
/// </summary>
internal static class SimdFloatOps
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static V F32x4Eq(V a, V b) => Vector128.Equals(a.AsSingle(), b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Ne(V a, V b) => (~Vector128.Equals(a.AsSingle(), b.AsSingle())).AsByte();
    [MethodImpl(Inline)] public static V F32x4Lt(V a, V b) => Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Gt(V a, V b) => Vector128.GreaterThan(a.AsSingle(), b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Le(V a, V b) => Vector128.LessThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Ge(V a, V b) => Vector128.GreaterThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Eq(V a, V b) => Vector128.Equals(a.AsDouble(), b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Ne(V a, V b) => (~Vector128.Equals(a.AsDouble(), b.AsDouble())).AsByte();
    [MethodImpl(Inline)] public static V F64x2Lt(V a, V b) => Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Gt(V a, V b) => Vector128.GreaterThan(a.AsDouble(), b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Le(V a, V b) => Vector128.LessThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Ge(V a, V b) => Vector128.GreaterThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(Inline)] public static V F32x4Abs(V a) => a & Vector128.Create(0x7FFFFFFFu).AsByte();
    [MethodImpl(Inline)] public static V F32x4Neg(V a) => a ^ Vector128.Create(0x80000000u).AsByte();
    [MethodImpl(Inline)] public static V F64x2Abs(V a) => a & Vector128.Create(0x7FFFFFFFFFFFFFFFul).AsByte();
    [MethodImpl(Inline)] public static V F64x2Neg(V a) => a ^ Vector128.Create(0x8000000000000000ul).AsByte();

    [MethodImpl(Inline)] public static V F32x4Sqrt(V a) => Vector128.Sqrt(a.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Add(V a, V b) => (a.AsSingle() + b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Sub(V a, V b) => (a.AsSingle() - b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Mul(V a, V b) => (a.AsSingle() * b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Div(V a, V b) => (a.AsSingle() / b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Sqrt(V a) => Vector128.Sqrt(a.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Add(V a, V b) => (a.AsDouble() + b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Sub(V a, V b) => (a.AsDouble() - b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Mul(V a, V b) => (a.AsDouble() * b.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Div(V a, V b) => (a.AsDouble() / b.AsDouble()).AsByte();

    [MethodImpl(Inline)] public static V F32x4Ceil(V a) => Vector128.Ceiling(a.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Floor(V a) => Vector128.Floor(a.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Trunc(V a) => Vector128.Truncate(a.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Nearest(V a) => Vector128.Round(a.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Ceil(V a) => Vector128.Ceiling(a.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Floor(V a) => Vector128.Floor(a.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Trunc(V a) => Vector128.Truncate(a.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Nearest(V a) => Vector128.Round(a.AsDouble()).AsByte();

    /// <summary>
    /// WebAssembly min: NaN if either lane is NaN, -0 below +0. <c>minps</c> returns its second
    /// operand when the lanes are unordered or equal, so it runs in both orders: OR-ing the two
    /// results gives -0 for a pair of zeros and a NaN pattern when a NaN was involved, and lanes
    /// where either input is NaN are then set to the canonical NaN (sign set: all ones with the
    /// payload cleared).
    /// </summary>
    [MethodImpl(Inline)]
    public static V F32x4Min(V a, V b)
    {
        Vector128<float> x = a.AsSingle(), y = b.AsSingle();
        if (!Sse.IsSupported) return PortableMinMax(x, y, Vector128.Min(x, y));
        var nan = Sse.CompareUnordered(x, y);
        var min = Sse.Or(Sse.Or(Sse.Min(x, y), Sse.Min(y, x)), nan);
        return Sse.AndNot(Sse2.ShiftRightLogical(nan.AsUInt32(), 10).AsSingle(), min).AsByte();
    }

    /// <summary>WebAssembly max: as <see cref="F32x4Min"/>, with AND giving +0 for a pair of zeros (NaN lanes are replaced anyway).</summary>
    [MethodImpl(Inline)]
    public static V F32x4Max(V a, V b)
    {
        Vector128<float> x = a.AsSingle(), y = b.AsSingle();
        if (!Sse.IsSupported) return PortableMinMax(x, y, Vector128.Max(x, y));
        var nan = Sse.CompareUnordered(x, y);
        var max = Sse.Or(Sse.And(Sse.Max(x, y), Sse.Max(y, x)), nan);
        return Sse.AndNot(Sse2.ShiftRightLogical(nan.AsUInt32(), 10).AsSingle(), max).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F64x2Min(V a, V b)
    {
        Vector128<double> x = a.AsDouble(), y = b.AsDouble();
        if (!Sse2.IsSupported) return PortableMinMax(x, y, Vector128.Min(x, y));
        var nan = Sse2.CompareUnordered(x, y);
        var min = Sse2.Or(Sse2.Or(Sse2.Min(x, y), Sse2.Min(y, x)), nan);
        return Sse2.AndNot(Sse2.ShiftRightLogical(nan.AsUInt64(), 13).AsDouble(), min).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F64x2Max(V a, V b)
    {
        Vector128<double> x = a.AsDouble(), y = b.AsDouble();
        if (!Sse2.IsSupported) return PortableMinMax(x, y, Vector128.Max(x, y));
        var nan = Sse2.CompareUnordered(x, y);
        var max = Sse2.Or(Sse2.And(Sse2.Max(x, y), Sse2.Max(y, x)), nan);
        return Sse2.AndNot(Sse2.ShiftRightLogical(nan.AsUInt64(), 13).AsDouble(), max).AsByte();
    }

    /// <summary>.NET's IEEE minimum or maximum (right for zeros and numbers), with NaN lanes replaced by the canonical NaN.</summary>
    [MethodImpl(Inline)]
    private static V PortableMinMax<T>(Vector128<T> x, Vector128<T> y, Vector128<T> result)
    {
        var ordered = Vector128.Equals(x, x) & Vector128.Equals(y, y);
        return Vector128.ConditionalSelect(ordered, result, CanonicalNaN<T>()).AsByte();
    }

    /// <summary>Pseudo-minimum: <c>b &lt; a ? b : a</c> lane by lane, which is exactly <c>minps b, a</c>.</summary>
    [MethodImpl(Inline)]
    public static V F32x4Pmin(V a, V b)
    {
        Vector128<float> x = a.AsSingle(), y = b.AsSingle();
        return (Sse.IsSupported ? Sse.Min(y, x) : Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x)).AsByte();
    }

    /// <summary>Pseudo-maximum: <c>a &lt; b ? b : a</c>, which is exactly <c>maxps b, a</c>.</summary>
    [MethodImpl(Inline)]
    public static V F32x4Pmax(V a, V b)
    {
        Vector128<float> x = a.AsSingle(), y = b.AsSingle();
        return (Sse.IsSupported ? Sse.Max(y, x) : Vector128.ConditionalSelect(Vector128.LessThan(x, y), y, x)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F64x2Pmin(V a, V b)
    {
        Vector128<double> x = a.AsDouble(), y = b.AsDouble();
        return (Sse2.IsSupported ? Sse2.Min(y, x) : Vector128.ConditionalSelect(Vector128.LessThan(y, x), y, x)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F64x2Pmax(V a, V b)
    {
        Vector128<double> x = a.AsDouble(), y = b.AsDouble();
        return (Sse2.IsSupported ? Sse2.Max(y, x) : Vector128.ConditionalSelect(Vector128.LessThan(x, y), y, x)).AsByte();
    }

    /// <summary>NaN lanes replaced by the canonical NaN (<see cref="FloatOps.CanonicalNaN32"/>), for deterministic results.</summary>
    [MethodImpl(Inline)]
    public static V CanonicalizeF32x4(V a)
    {
        var x = a.AsSingle();
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), x, CanonicalNaN<float>()).AsByte();
    }

    /// <summary>NaN lanes replaced by the canonical NaN (<see cref="FloatOps.CanonicalNaN64"/>).</summary>
    [MethodImpl(Inline)]
    public static V CanonicalizeF64x2(V a)
    {
        var x = a.AsDouble();
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), x, CanonicalNaN<double>()).AsByte();
    }

    /// <summary>The canonical NaN in every lane, built from its bits (a float constant would be folded through double).</summary>
    [MethodImpl(Inline)]
    private static Vector128<T> CanonicalNaN<T>() =>
        typeof(T) == typeof(float) ? Vector128.Create(FloatOps.CanonicalNaN32).As<uint, T>() : Vector128.Create(FloatOps.CanonicalNaN64).As<ulong, T>();
}
