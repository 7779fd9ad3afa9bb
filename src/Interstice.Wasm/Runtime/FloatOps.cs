using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Float operations whose WebAssembly semantics differ from a plain CIL instruction: min and max
/// (NaN propagates, -0 is less than +0, a signalling NaN comes out quiet), and NaN
/// canonicalisation for deterministic floating point.
/// </summary>
internal static class FloatOps
{
    /// <summary>The canonical NaNs: positive, quiet, payload zero.</summary>
    public const uint CanonicalNaN32 = 0x7FC00000;
    public const ulong CanonicalNaN64 = 0x7FF8000000000000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
        return a + b; // at least one NaN: the addition yields a quiet NaN
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));
        return a + b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Canonicalize(float value) => float.IsNaN(value) ? BitConverter.UInt32BitsToSingle(CanonicalNaN32) : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Canonicalize(double value) => double.IsNaN(value) ? BitConverter.UInt64BitsToDouble(CanonicalNaN64) : value;

    /// <summary>
    /// An f32 constant given by its bits. Not inlined on purpose: the JIT folds float constants
    /// through double, which would quieten a signalling NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <inheritdoc cref="F32FromBits"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64FromBits(long bits) => BitConverter.Int64BitsToDouble(bits);
}
