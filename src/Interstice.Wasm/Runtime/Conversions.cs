using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Numeric conversions with WebAssembly's semantics: trapping float-to-int truncations with exact
/// range checks, saturating truncations, and correctly rounded unsigned 64-bit to float.
/// </summary>
internal static class Conversions
{
    // Range bounds, exactly representable: truncation is valid iff Lower < x < Upper.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32S(float x)
    {
        if (!(x >= -2147483648f && x < 2147483648f)) ThrowInvalid(float.IsNaN(x));
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32U(float x)
    {
        if (!(x > -1f && x < 4294967296f)) ThrowInvalid(float.IsNaN(x));
        return (int)(uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64S(double x)
    {
        if (!(x > -2147483649.0 && x < 2147483648.0)) ThrowInvalid(double.IsNaN(x));
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64U(double x)
    {
        if (!(x > -1.0 && x < 4294967296.0)) ThrowInvalid(double.IsNaN(x));
        return (int)(uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32S(float x)
    {
        if (!(x >= -9223372036854775808f && x < 9223372036854775808f)) ThrowInvalid(float.IsNaN(x));
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32U(float x)
    {
        if (!(x > -1f && x < 18446744073709551616f)) ThrowInvalid(float.IsNaN(x));
        return (long)(ulong)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64S(double x)
    {
        if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) ThrowInvalid(double.IsNaN(x));
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64U(double x)
    {
        if (!(x > -1.0 && x < 18446744073709551616.0)) ThrowInvalid(double.IsNaN(x));
        return (long)(ulong)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32S(float x) =>
        float.IsNaN(x) ? 0 : x >= 2147483648f ? int.MaxValue : x < -2147483648f ? int.MinValue : (int)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32U(float x) =>
        !(x > -1f) ? 0 : x >= 4294967296f ? -1 : (int)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x >= 2147483648.0 ? int.MaxValue : x <= -2147483649.0 ? int.MinValue : (int)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64U(double x) =>
        !(x > -1.0) ? 0 : x >= 4294967296.0 ? -1 : (int)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32S(float x) =>
        float.IsNaN(x) ? 0 : x >= 9223372036854775808f ? long.MaxValue : x < -9223372036854775808f ? long.MinValue : (long)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32U(float x) =>
        !(x > -1f) ? 0 : x >= 18446744073709551616f ? -1 : (long)(ulong)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x >= 9223372036854775808.0 ? long.MaxValue : x < -9223372036854775808.0 ? long.MinValue : (long)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64U(double x) =>
        !(x > -1.0) ? 0 : x >= 18446744073709551616.0 ? -1 : (long)(ulong)x;

    /// <summary>u32 to f32 through a signed 64-bit conversion, which rounds once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32U(int x) => (long)(uint)x;

    /// <summary>
    /// u64 to f32, rounded once: values with the top bit set are halved first, keeping the lost
    /// bit as a sticky bit so that the rounding of the halved value is the rounding of the whole
    /// (going through double would round twice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64U(long x)
    {
        if (x >= 0) return x;
        ulong u = (ulong)x;
        float half = (long)((u >> 1) | (u & 1));
        return half + half;
    }

    /// <inheritdoc cref="F32ConvertI64U"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64U(long x)
    {
        if (x >= 0) return x;
        ulong u = (ulong)x;
        double half = (long)((u >> 1) | (u & 1));
        return half + half;
    }

    /// <summary>f64 to f32, out of the JIT's sight: see the caller.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32DemoteF64(double x) => (float)x;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(bool isNaN) =>
        throw new TrapException(isNaN ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow);
}
