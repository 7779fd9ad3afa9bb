using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>Float instructions: NaN rules, signed zeros, rounding, conversions, NaN canonicalisation.</summary>
public sealed class FloatSemanticsTests
{
    private const string Wat = """
        (module
          (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
          (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
          (func (export "abs64") (param f64) (result f64) (f64.abs (local.get 0)))
          (func (export "copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
          (func (export "add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
          (func (export "sub_zero") (param f32) (result f32) (f32.sub (local.get 0) (f32.const 0)))
          (func (export "div64") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
          (func (export "le") (param f32 f32) (result i32) (f32.le (local.get 0) (local.get 1)))
          (func (export "ge64") (param f64 f64) (result i32) (f64.ge (local.get 0) (local.get 1)))
          (func (export "ne") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1)))
          (func (export "snan") (result f32) (f32.const nan:0x200000))
          (func (export "snan_bits") (result i32) (i32.reinterpret_f32 (f32.const nan:0x200000)))
          (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
          (func (export "u64_to_f64") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
          (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
          (func (export "trunc_sat_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
          (func (export "trunc_sat_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0))))
        """;

    private static readonly Instance Ops = TestModule.Instantiate(Wat);

    private static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    // Not inlined: the JIT would fold a constant argument through double, quieting a signalling NaN.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float F32(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double F64(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [Fact]
    public void MinAndMaxPropagateNaNAndOrderSignedZeros()
    {
        var min = Ops.GetFunction<Func<float, float, float>>("min");
        Assert.True(float.IsNaN(min(float.NaN, 1f)));
        Assert.True(float.IsNaN(min(1f, float.NaN)));
        Assert.Equal(Bits(-0f), Bits(min(0f, -0f)));
        Assert.Equal(Bits(-0f), Bits(min(-0f, 0f)));
        Assert.Equal(0f, Ops.GetFunction<Func<double, double, double>>("max64")(-0d, 0d));
        Assert.False(double.IsNegative(Ops.GetFunction<Func<double, double, double>>("max64")(-0d, 0d)));
    }

    [Fact]
    public void MinOfASignallingNaNIsQuiet()
    {
        float signalling = F32(0x7FA00000);
        uint bits = Bits(Ops.GetFunction<Func<float, float, float>>("min")(signalling, 1f));
        Assert.Equal(0x7FC00000u, bits & 0x7FC00000u);
    }

    [Fact]
    public void NearestRoundsHalfToEven()
    {
        var nearest = Ops.GetFunction<Func<float, float>>("nearest");
        Assert.Equal(2f, nearest(2.5f));
        Assert.Equal(4f, nearest(3.5f));
        Assert.Equal(Bits(-0f), Bits(nearest(-0.5f)));
    }

    [Fact]
    public void NegAbsAndCopysignOnlyTouchTheSignBitEvenOfNaNs()
    {
        float payload = F32(0x7FA00001);
        Assert.Equal(0xFFA00001u, Bits(Ops.GetFunction<Func<float, float>>("neg")(payload)));
        Assert.Equal(0x7FF4000000000001ul, BitConverter.DoubleToUInt64Bits(
            Ops.GetFunction<Func<double, double>>("abs64")(F64(0xFFF4000000000001))));
        Assert.Equal(0xFFA00001u, Bits(Ops.GetFunction<Func<float, float, float>>("copysign")(payload, -1f)));
    }

    [Fact]
    public void ArithmeticOnASignallingNaNGivesAQuietNaN()
    {
        float signalling = F32(0x7FA00000);
        Assert.Equal(0x7FC00000u, Bits(Ops.GetFunction<Func<float, float>>("sub_zero")(signalling)) & 0x7FC00000u);
    }

    [Fact]
    public void SignallingNaNConstantsKeepTheirBits()
    {
        Assert.Equal(0x7FA00000u, Bits(Ops.GetFunction<Func<float>>("snan")()));
        Assert.Equal(0x7FA00000, Ops.GetFunction<Func<int>>("snan_bits")());
    }

    [Fact]
    public void ComparisonsWithNaN()
    {
        Assert.Equal(0, Ops.GetFunction<Func<float, float, int>>("le")(float.NaN, 1f));
        Assert.Equal(1, Ops.GetFunction<Func<float, float, int>>("le")(1f, 1f));
        Assert.Equal(0, Ops.GetFunction<Func<double, double, int>>("ge64")(1d, double.NaN));
        Assert.Equal(1, Ops.GetFunction<Func<float, float, int>>("ne")(float.NaN, float.NaN));
    }

    [Fact]
    public void UnsignedSixtyFourBitToFloatRoundsOnce()
    {
        var toF32 = Ops.GetFunction<Func<long, float>>("u64_to_f32");
        // 2^63 + 2^39 + 1 lies just above the midpoint between two floats: rounding through double would round to even (down).
        Assert.Equal(0x5F000001u, Bits(toF32(unchecked((long)0x8000008000000001))));
        Assert.Equal(18446744073709551615f, toF32(-1));
        Assert.Equal(18446744073709551615d, Ops.GetFunction<Func<long, double>>("u64_to_f64")(-1));
    }

    [Fact]
    public void TrappingTruncationChecksTheExactRange()
    {
        var trunc = Ops.GetFunction<Func<float, int>>("trunc_s");
        Assert.Equal(int.MinValue, trunc(-2147483648f));
        Assert.Equal(TrapKind.IntegerOverflow, Assert.Throws<TrapException>(() => trunc(2147483648f)).Kind);
        Assert.Equal(TrapKind.InvalidConversionToInteger, Assert.Throws<TrapException>(() => trunc(float.NaN)).Kind);
        var truncU = Ops.GetFunction<Func<double, long>>("trunc_u64");
        Assert.Equal(0L, truncU(-0.99));
        Assert.Equal(unchecked((long)18446744073709549568UL), truncU(18446744073709549568d));
        Assert.Equal(TrapKind.IntegerOverflow, Assert.Throws<TrapException>(() => truncU(-1d)).Kind);
    }

    [Fact]
    public void SaturatingTruncationClamps()
    {
        var sat = Ops.GetFunction<Func<float, int>>("trunc_sat_s");
        Assert.Equal(int.MaxValue, sat(1e20f));
        Assert.Equal(int.MinValue, sat(-1e20f));
        Assert.Equal(0, sat(float.NaN));
        var satU = Ops.GetFunction<Func<double, long>>("trunc_sat_u64");
        Assert.Equal(-1L, satU(1e30));
        Assert.Equal(0L, satU(-5d));
    }

    [Fact]
    public void NaNCanonicalisationReplacesComputedNaNs()
    {
        var canonical = TestModule.Instantiate(Wat, new EngineOptions { CanonicalizeNaNs = true });
        var plain = Ops;
        float input = F32(0xFFA00001);
        Assert.Equal(0x7FC00000u, Bits(canonical.GetFunction<Func<float, float, float>>("add")(input, 1f)));
        Assert.NotEqual(0x7FC00000u, Bits(plain.GetFunction<Func<float, float, float>>("add")(input, 1f)));
        Assert.Equal(0x7FF8000000000000ul, BitConverter.DoubleToUInt64Bits(canonical.GetFunction<Func<double, double, double>>("div64")(0d, 0d)));
        // Bitwise operations are not arithmetic: neg keeps the payload even when canonicalising.
        Assert.Equal(0x7FA00001u, Bits(canonical.GetFunction<Func<float, float>>("neg")(input)));
    }
}
