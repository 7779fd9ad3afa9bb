using System.Runtime.Intrinsics;
using Interstice.Wasm.Tests.TestSupport;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>
/// With <see cref="EngineOptions.CanonicalizeNaNs"/>, every float lane result that may be a NaN is
/// the canonical NaN, whatever the inputs' payloads, so results do not depend on the processor;
/// bitwise lane operations keep their bits.
/// </summary>
public sealed class SimdNaNCanonicalizationTests
{
    private static readonly string[] F32Operations = ["f32x4.add", "f32x4.sub", "f32x4.mul", "f32x4.div", "f32x4.min", "f32x4.max"];
    private static readonly string[] F64Operations = ["f64x2.add", "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.min", "f64x2.max"];
    private static readonly string[] F32Unary = ["f32x4.sqrt", "f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest", "f32x4.demote_f64x2_zero"];
    private static readonly string[] F64Unary = ["f64x2.sqrt", "f64x2.ceil", "f64x2.floor", "f64x2.trunc", "f64x2.nearest", "f64x2.promote_low_f32x4"];
    private static readonly string[] Bitwise = ["f32x4.neg", "f32x4.abs", "f64x2.neg", "f64x2.abs"];

    private static readonly string Wat = $$"""
        (module
          {{string.Concat(F32Operations.Concat(F64Operations).Select(op => $"(func (export \"{op}\") (param v128 v128) (result v128) ({op} (local.get 0) (local.get 1)))\n"))}}
          {{string.Concat(F32Unary.Concat(F64Unary).Concat(Bitwise).Select(op => $"(func (export \"{op}\") (param v128) (result v128) ({op} (local.get 0)))\n"))}}
          (func (export "pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1))))
        """;

    private static readonly Instance Canonicalizing = TestModule.Instantiate(Wat, new EngineOptions { CanonicalizeNaNs = true });

    // NaNs with payloads, either sign, signalling and quiet, next to ordinary numbers.
    private static readonly V F32NaNs = Vector128.Create(0x7FA00001u, 0xFFC00123u, 0x3F800000u, 0x7FC00000u).AsByte();
    private static readonly V F32Numbers = Vector128.Create(0x3F800000u, 0x40000000u, 0x7FE00042u, 0xBF800000u).AsByte();
    private static readonly V F64NaNs = Vector128.Create(0xFFF4000000000001ul, 0x3FF0000000000000ul).AsByte();
    private static readonly V F64Numbers = Vector128.Create(0x4000000000000000ul, 0x7FF8000000000123ul).AsByte();

    [Fact]
    public void ArithmeticF32LaneResultsAreCanonical()
    {
        foreach (string op in F32Operations)
        {
            var result = Canonicalizing.GetFunction<Func<V, V, V>>(op)(F32NaNs, F32Numbers).AsUInt32();
            // Lanes 0, 1, 2 and 3 each have a NaN operand.
            for (int lane = 0; lane < 4; lane++) Assert.True(result[lane] == 0x7FC00000u, $"{op} lane {lane}: {result[lane]:x8}");
        }
        foreach (string op in F32Unary)
        {
            var input = op.Contains("demote") ? F64NaNs : F32NaNs;
            var result = Canonicalizing.GetFunction<Func<V, V>>(op)(input).AsUInt32();
            Assert.True(result[0] == 0x7FC00000u, $"{op}: {result[0]:x8}");
        }
        // sqrt(-1) is a NaN the processor makes up: canonical too.
        Assert.Equal(0x7FC00000u, Canonicalizing.GetFunction<Func<V, V>>("f32x4.sqrt")(Vector128.Create(-1f).AsByte()).AsUInt32()[0]);
    }

    [Fact]
    public void ArithmeticF64LaneResultsAreCanonical()
    {
        foreach (string op in F64Operations)
        {
            var result = Canonicalizing.GetFunction<Func<V, V, V>>(op)(F64NaNs, F64Numbers).AsUInt64();
            Assert.True(result[0] == 0x7FF8000000000000ul, $"{op} lane 0: {result[0]:x16}");
            Assert.True(result[1] == 0x7FF8000000000000ul, $"{op} lane 1: {result[1]:x16}");
        }
        foreach (string op in F64Unary)
        {
            var input = op.Contains("promote") ? F32NaNs : F64NaNs;
            var result = Canonicalizing.GetFunction<Func<V, V>>(op)(input).AsUInt64();
            Assert.True(result[0] == 0x7FF8000000000000ul, $"{op}: {result[0]:x16}");
        }
    }

    [Fact]
    public void NumbersAreUntouchedAndBitwiseOperationsKeepPayloads()
    {
        var sum = Canonicalizing.GetFunction<Func<V, V, V>>("f32x4.add")(Vector128.Create(1f, 2f, -0f, 3f).AsByte(), Vector128.Create(1f, 2f, -0f, 0.5f).AsByte());
        Assert.Equal(Vector128.Create(2f, 4f, -0f, 3.5f).AsByte(), sum);

        Assert.Equal(Vector128.Create(0xFFA00001u, 0x7FC00123u, 0xBF800000u, 0xFFC00000u).AsByte(), Canonicalizing.GetFunction<Func<V, V>>("f32x4.neg")(F32NaNs));
        Assert.Equal(Vector128.Create(0x7FA00001u, 0x7FC00123u, 0x3F800000u, 0x7FC00000u).AsByte(), Canonicalizing.GetFunction<Func<V, V>>("f32x4.abs")(F32NaNs));
        Assert.Equal(Vector128.Create(0x7FF4000000000001ul, 0x3FF0000000000000ul).AsByte(), Canonicalizing.GetFunction<Func<V, V>>("f64x2.abs")(F64NaNs));
        // pmin selects an operand: its bits, payload included.
        Assert.Equal(F32NaNs.AsUInt32()[0], Canonicalizing.GetFunction<Func<V, V, V>>("pmin")(F32NaNs, F32Numbers).AsUInt32()[0]);
    }
}
