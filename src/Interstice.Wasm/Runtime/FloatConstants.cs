namespace Interstice.Wasm.Runtime;

/// <summary>
/// Float constants that generated code loads from memory instead of embedding. The JIT folds
/// <c>x - 0.0</c>, <c>x * 1.0</c> and <c>x / 1.0</c> to <c>x</c>, which lets a signalling NaN
/// through unquieted where WebAssembly requires an arithmetic NaN. These fields are deliberately
/// not readonly so that the JIT cannot see their values; they are never written.
/// </summary>
internal static class FloatConstants
{
#pragma warning disable CA2211 // mutable on purpose, see above
    public static float F32PositiveZero = 0f;
    public static float F32NegativeZero = -0f;
    public static float F32One = 1f;
    public static double F64PositiveZero = 0d;
    public static double F64NegativeZero = -0d;
    public static double F64One = 1d;
#pragma warning restore CA2211

    /// <summary>The field holding <paramref name="bits"/> as an f32, if it is one of the folded constants.</summary>
    public static string? FieldFor(uint bits) => bits switch
    {
        0x00000000 => nameof(F32PositiveZero),
        0x80000000 => nameof(F32NegativeZero),
        0x3F800000 => nameof(F32One),
        _ => null,
    };

    /// <summary>The field holding <paramref name="bits"/> as an f64, if it is one of the folded constants.</summary>
    public static string? FieldFor(ulong bits) => bits switch
    {
        0x0000000000000000 => nameof(F64PositiveZero),
        0x8000000000000000 => nameof(F64NegativeZero),
        0x3FF0000000000000 => nameof(F64One),
        _ => null,
    };
}
