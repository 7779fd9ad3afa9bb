using System.Runtime.Intrinsics;
using Interstice.Wasm.Tests.TestSupport;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>
/// The SIMD instructions whose WebAssembly semantics differ from what .NET or the processor does
/// by default: float min/max (NaN, signed zeros), pmin/pmax, saturating truncation, narrowing of
/// signed lanes to unsigned ones, out-of-range shuffle and swizzle indices, Q15 multiplication,
/// wrapping abs, shift counts, unsigned conversions.
/// </summary>
public sealed class SimdSemanticsTests
{
    private static readonly string[] Binary =
    [
        "f32x4.min", "f32x4.max", "f64x2.min", "f64x2.max", "f32x4.pmin", "f32x4.pmax", "f64x2.pmax",
        "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u", "i16x8.narrow_i32x4_u", "i8x16.swizzle",
        "i16x8.q15mulr_sat_s", "i32x4.dot_i16x8_s", "i8x16.add_sat_u", "i16x8.sub_sat_s", "i8x16.avgr_u",
        "i64x2.extmul_low_i32x4_s", "i64x2.extmul_high_i32x4_u",
    ];

    private static readonly string[] Unary =
    [
        "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u", "i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero",
        "f32x4.convert_i32x4_u", "f64x2.convert_low_i32x4_u", "i8x16.abs", "i64x2.abs", "i8x16.popcnt",
        "i16x8.extadd_pairwise_i8x16_s", "i32x4.extadd_pairwise_i16x8_u",
    ];

    private static readonly string[] Shifts = ["i8x16.shl", "i8x16.shr_s", "i16x8.shr_u", "i64x2.shr_s"];

    private static readonly Instance Ops = TestModule.Instantiate($$"""
        (module
          {{string.Concat(Binary.Select(op => $"(func (export \"{op}\") (param v128 v128) (result v128) ({op} (local.get 0) (local.get 1)))\n"))}}
          {{string.Concat(Unary.Select(op => $"(func (export \"{op}\") (param v128) (result v128) ({op} (local.get 0)))\n"))}}
          {{string.Concat(Shifts.Select(op => $"(func (export \"{op}\") (param v128 i32) (result v128) ({op} (local.get 0) (local.get 1)))\n"))}}
          (func (export "i16x8.bitmask") (param v128) (result i32) (i16x8.bitmask (local.get 0)))
          (func (export "shuffle") (param v128 v128) (result v128)
            (i8x16.shuffle 0 16 1 17 31 15 30 14 2 2 2 2 19 19 19 19 (local.get 0) (local.get 1))))
        """);

    private static V Call(string name, V a, V b) => Ops.GetFunction<Func<V, V, V>>(name)(a, b);

    private static V Call(string name, V a) => Ops.GetFunction<Func<V, V>>(name)(a);

    private static V Shift(string name, V a, int count) => Ops.GetFunction<Func<V, int, V>>(name)(a, count);

    private static V F32(params uint[] bits) => Vector128.Create(bits).AsByte();

    private static V F64(params ulong[] bits) => Vector128.Create(bits).AsByte();

    private static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    private static ulong Bits(double value) => BitConverter.DoubleToUInt64Bits(value);

    private static bool IsQuietNaN32(uint bits) => (bits & 0x7FC00000) == 0x7FC00000;

    private static bool IsQuietNaN64(ulong bits) => (bits & 0x7FF8000000000000) == 0x7FF8000000000000;

    private const uint SignallingNaN32 = 0x7FA00000;
    private const ulong SignallingNaN64 = 0x7FF4000000000000;

    [Fact]
    public void FloatMinAndMaxPropagateNaNQuietlyAndOrderSignedZeros()
    {
        var a = F32(SignallingNaN32, Bits(-0f), Bits(0f), Bits(1f));
        var b = F32(Bits(1f), Bits(0f), Bits(-0f), SignallingNaN32);
        var min = Call("f32x4.min", a, b).AsUInt32();
        Assert.True(IsQuietNaN32(min[0]), $"{min[0]:x8}");
        Assert.Equal(Bits(-0f), min[1]);
        Assert.Equal(Bits(-0f), min[2]);
        Assert.True(IsQuietNaN32(min[3]), $"{min[3]:x8}");

        var max = Call("f32x4.max", a, b).AsUInt32();
        Assert.True(IsQuietNaN32(max[0]));
        Assert.Equal(Bits(0f), max[1]);
        Assert.Equal(Bits(0f), max[2]);
        Assert.True(IsQuietNaN32(max[3]));

        var min64 = Call("f64x2.min", F64(Bits(-0d), SignallingNaN64), F64(Bits(0d), Bits(2d))).AsUInt64();
        Assert.Equal(Bits(-0d), min64[0]);
        Assert.True(IsQuietNaN64(min64[1]), $"{min64[1]:x16}");
        var max64 = Call("f64x2.max", F64(Bits(-0d), Bits(-1d)), F64(Bits(0d), Bits(-2d))).AsUInt64();
        Assert.Equal(Bits(0d), max64[0]);
        Assert.Equal(Bits(-1d), max64[1]);
    }

    [Fact]
    public void PseudoMinAndMaxReturnAnOperandBitForBit()
    {
        // pmin(a, b) = b < a ? b : a: a NaN or a zero in a is returned as it is, signalling NaNs included.
        var a = F32(SignallingNaN32, Bits(1f), Bits(-0f), Bits(0f));
        var b = F32(Bits(1f), SignallingNaN32, Bits(0f), Bits(-0f));
        Assert.Equal(F32(SignallingNaN32, Bits(1f), Bits(-0f), Bits(0f)), Call("f32x4.pmin", a, b));
        // pmax(a, b) = a < b ? b : a.
        Assert.Equal(F32(SignallingNaN32, Bits(1f), Bits(-0f), Bits(0f)), Call("f32x4.pmax", a, b));
        Assert.Equal(F64(Bits(2d), SignallingNaN64), Call("f64x2.pmax", F64(Bits(1d), SignallingNaN64), F64(Bits(2d), Bits(3d))));
    }

    [Fact]
    public void SaturatingTruncationClampsAndTurnsNaNIntoZero()
    {
        var s = Call("i32x4.trunc_sat_f32x4_s", F32(Bits(float.NaN), Bits(3e9f), Bits(-3e9f), Bits(-1.9f))).AsInt32();
        Assert.Equal(Vector128.Create(0, int.MaxValue, int.MinValue, -1), s);
        s = Call("i32x4.trunc_sat_f32x4_s", F32(Bits(2147483648f), Bits(-2147483648f), Bits(float.PositiveInfinity), Bits(2147483520f))).AsInt32();
        Assert.Equal(Vector128.Create(int.MaxValue, int.MinValue, int.MaxValue, 2147483520), s);

        var u = Call("i32x4.trunc_sat_f32x4_u", F32(Bits(float.NaN), Bits(5e9f), Bits(-3f), Bits(4294967040f))).AsUInt32();
        Assert.Equal(Vector128.Create(0u, uint.MaxValue, 0u, 4294967040u), u);
        u = Call("i32x4.trunc_sat_f32x4_u", F32(Bits(2147483648f), Bits(2147483520f), Bits(-0.9f), Bits(4294967296f))).AsUInt32();
        Assert.Equal(Vector128.Create(2147483648u, 2147483520u, 0u, uint.MaxValue), u);

        // The f64 forms fill the two low lanes and zero the two high ones.
        Assert.Equal(Vector128.Create(0, int.MinValue, 0, 0), Call("i32x4.trunc_sat_f64x2_s_zero", F64(Bits(double.NaN), Bits(-1e10))).AsInt32());
        Assert.Equal(Vector128.Create(int.MaxValue, int.MinValue, 0, 0), Call("i32x4.trunc_sat_f64x2_s_zero", F64(Bits(2147483647.9), Bits(-2147483648.9))).AsInt32());
        Assert.Equal(Vector128.Create(uint.MaxValue, 0u, 0u, 0u), Call("i32x4.trunc_sat_f64x2_u_zero", F64(Bits(4294967295.5), Bits(-0.5))).AsUInt32());
        Assert.Equal(Vector128.Create(0u, uint.MaxValue, 0u, 0u), Call("i32x4.trunc_sat_f64x2_u_zero", F64(Bits(double.NaN), Bits(1e20))).AsUInt32());
    }

    [Fact]
    public void NarrowingSaturatesSignedLanesIntoTheTargetRange()
    {
        var a = Vector128.Create((short)-1, 300, 255, 0, -300, 127, -128, 32767).AsByte();
        var b = Vector128.Create((short)-32768, 128, 1, 256, 0, 0, 0, 0).AsByte();
        // Unsigned narrowing reads the inputs as signed: -1 becomes 0, not 255.
        Assert.Equal(Vector128.Create((byte)0, 255, 255, 0, 0, 127, 0, 255, 0, 128, 1, 255, 0, 0, 0, 0), Call("i8x16.narrow_i16x8_u", a, b));
        Assert.Equal(Vector128.Create((sbyte)-1, 127, 127, 0, -128, 127, -128, 127, -128, 127, 1, 127, 0, 0, 0, 0).AsByte(), Call("i8x16.narrow_i16x8_s", a, b));
        var wide = Vector128.Create(-1, 70000, 65535, 5).AsByte();
        Assert.Equal(Vector128.Create((ushort)0, 65535, 65535, 5, 0, 65535, 65535, 5).AsByte(), Call("i16x8.narrow_i32x4_u", wide, wide));
    }

    [Fact]
    public void SwizzleAndShuffleTakeLanesByIndexAndZeroOutOfRangeSwizzleIndices()
    {
        var a = Vector128.Create((byte)100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115);
        var b = Vector128.Create((byte)200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215);
        var indices = Vector128.Create((byte)0, 15, 16, 255, 128, 17, 1, 0x70, 0x8F, 31, 14, 0x10, 3, 0x7F, 2, 0xF0);
        Assert.Equal(Vector128.Create((byte)100, 115, 0, 0, 0, 0, 101, 0, 0, 0, 114, 0, 103, 0, 102, 0), Call("i8x16.swizzle", a, indices));
        Assert.Equal(Vector128.Create((byte)100, 200, 101, 201, 215, 115, 214, 114, 102, 102, 102, 102, 203, 203, 203, 203), Call("shuffle", a, b));
    }

    [Fact]
    public void IntegerLaneArithmeticWrapsOrSaturatesAsSpecified()
    {
        var q15 = Vector128.Create((short)-32768, 16384, -1, 32767, -32768, 0, 1, 100).AsByte();
        var q15b = Vector128.Create((short)-32768, 16384, 1, 32767, 32767, 5, 1, -100).AsByte();
        Assert.Equal(Vector128.Create((short)32767, 8192, 0, 32766, -32767, 0, 0, 0).AsByte(), Call("i16x8.q15mulr_sat_s", q15, q15b));

        var dot = Vector128.Create((short)-32768, -32768, 2, 3, 0, 0, -1, 1).AsByte();
        Assert.Equal(Vector128.Create(int.MinValue, 13, 0, 0).AsByte(), Call("i32x4.dot_i16x8_s", dot, Vector128.Create((short)-32768, -32768, 2, 3, 7, 7, 0, 0).AsByte()));

        Assert.Equal(Vector128.Create((sbyte)-128, 127, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).AsByte(),
            Call("i8x16.abs", Vector128.Create((sbyte)-128, -127, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).AsByte()));
        Assert.Equal(Vector128.Create(long.MinValue, long.MaxValue).AsByte(), Call("i64x2.abs", Vector128.Create(long.MinValue, -long.MaxValue).AsByte()));

        Assert.Equal(Vector128.Create((byte)255, 255, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            Call("i8x16.add_sat_u", Vector128.Create((byte)200, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Vector128.Create((byte)100, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(Vector128.Create((short)-32768, 32767, 0, 0, 0, 0, 0, 0).AsByte(),
            Call("i16x8.sub_sat_s", Vector128.Create((short)-32768, 32767, 0, 0, 0, 0, 0, 0).AsByte(), Vector128.Create((short)1, -1, 0, 0, 0, 0, 0, 0).AsByte()));
        Assert.Equal(Vector128.Create((byte)255, 128, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            Call("i8x16.avgr_u", Vector128.Create((byte)255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Vector128.Create((byte)255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));

        Assert.Equal(Vector128.Create((byte)8, 1, 0, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            Call("i8x16.popcnt", Vector128.Create((byte)0xFF, 0x80, 0, 0x55, 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(Vector128.Create((short)-256, 254, 0, 0, 0, 0, 0, 0).AsByte(),
            Call("i16x8.extadd_pairwise_i8x16_s", Vector128.Create((sbyte)-128, -128, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).AsByte()));
        Assert.Equal(Vector128.Create(131070, 0, 0, 0).AsByte(), Call("i32x4.extadd_pairwise_i16x8_u", Vector128.Create((ushort)65535, 65535, 0, 0, 0, 0, 0, 0).AsByte()));

        Assert.Equal(Vector128.Create(4611686014132420609L, 4294967296L).AsByte(),
            Call("i64x2.extmul_low_i32x4_s", Vector128.Create(int.MaxValue, -2, 0, 0).AsByte(), Vector128.Create(int.MaxValue, int.MinValue, 0, 0).AsByte()));
        Assert.Equal(Vector128.Create(18446744065119617025UL, 0UL).AsByte(),
            Call("i64x2.extmul_high_i32x4_u", Vector128.Create(0u, 0u, uint.MaxValue, 0u).AsByte(), Vector128.Create(0u, 0u, uint.MaxValue, 0u).AsByte()));
    }

    [Fact]
    public void ShiftCountsAreTakenModuloTheLaneWidth()
    {
        var bytes = Vector128.Create((byte)0x81, 1, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(Vector128.Create((byte)0x02, 2, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Shift("i8x16.shl", bytes, 9));
        Assert.Equal(Vector128.Create((byte)0xC0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Shift("i8x16.shr_s", bytes, -7));
        Assert.Equal(Vector128.Create((ushort)1, 0, 0, 0, 0, 0, 0, 0).AsByte(), Shift("i16x8.shr_u", Vector128.Create((ushort)0x8000, 0x7FFF, 0, 0, 0, 0, 0, 0).AsByte(), -1));
        Assert.Equal(Vector128.Create(-4L, 4L).AsByte(), Shift("i64x2.shr_s", Vector128.Create(-8L, 8L).AsByte(), 65));
    }

    [Fact]
    public void BitmaskCollectsTheSignBitOfEachLane()
    {
        var lanes = Vector128.Create((short)-1, 0, -32768, 1, 32767, 0, 0, -2).AsByte();
        Assert.Equal(0b1000_0101, Ops.GetFunction<Func<V, int>>("i16x8.bitmask")(lanes));
    }

    [Fact]
    public void UnsignedConversionsToFloatRoundOnceAndExactly()
    {
        uint[] values = [0xFFFFFFFF, 0x80000001, 16777217, 0x7FFFFFC1];
        var converted = Call("f32x4.convert_i32x4_u", Vector128.Create(values).AsByte()).AsSingle();
        for (int i = 0; i < 4; i++) Assert.Equal(Bits((float)values[i]), Bits(converted[i]));

        var wide = Call("f64x2.convert_low_i32x4_u", Vector128.Create(0xFFFFFFFFu, 0x80000000u, 7u, 7u).AsByte()).AsDouble();
        Assert.Equal(4294967295.0, wide[0]);
        Assert.Equal(2147483648.0, wide[1]);
    }
}
