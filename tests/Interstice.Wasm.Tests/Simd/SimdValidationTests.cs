using Interstice.Wasm.Tests.TestSupport;
using static Interstice.Wasm.Tests.Validation.ValidationTestSupport;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>Typing of SIMD instructions, lane index bounds, alignment, and v128 in select and constant expressions.</summary>
public sealed class SimdValidationTests
{
    [Theory]
    [InlineData("(i8x16.extract_lane_s 16 (v128.const i64x2 0 0))", "invalid lane index: 16")]
    [InlineData("(i64x2.replace_lane 2 (v128.const i64x2 0 0) (i64.const 0))", "invalid lane index: 2")]
    [InlineData("(i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0))", "invalid lane index: 32")]
    [InlineData("(v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0))", "invalid lane index: 4")]
    [InlineData("(v128.load align=32 (i32.const 0))", "alignment must not be larger than natural")]
    [InlineData("(v128.load8x8_s align=16 (i32.const 0))", "alignment must not be larger than natural")]
    [InlineData("(v128.load16_lane align=4 0 (i32.const 0) (v128.const i64x2 0 0))", "alignment must not be larger than natural")]
    [InlineData("(i32x4.add (v128.const i64x2 0 0) (i32.const 0))", "type mismatch: expected v128, found i32")]
    [InlineData("(i8x16.shl (v128.const i64x2 0 0) (i64.const 1))", "type mismatch: expected i32, found i64")]
    [InlineData("(f64x2.replace_lane 0 (v128.const i64x2 0 0) (f32.const 0))", "type mismatch: expected f64, found f32")]
    public void InvalidSimdCodeIsRejectedWithTheSuitesReason(string body, string reason)
    {
        AssertInvalid(reason, $"(module (memory 1) (func (drop {body})))");
    }

    [Fact]
    public void MemoryInstructionsNeedAMemory()
    {
        AssertInvalid("unknown memory 0", "(module (func (drop (v128.load (i32.const 0)))))");
        AssertInvalid("unknown memory 0", "(module (func (v128.store8_lane 0 (i32.const 0) (v128.const i64x2 0 0))))");
    }

    [Fact]
    public void VectorsAreValidEverywhereAValueTypeIs()
    {
        Valid("""
            (module
              (global (import "env" "g") v128)
              (memory 1)
              (global $copy v128 (global.get 0))
              (global (mut v128) (v128.const f32x4 1 2 3 4))
              (func (param v128 i32) (result v128) (local v128)
                (select (local.get 0) (local.get 2) (local.get 1)))
              (func (result i32) (v128.any_true (block (result v128) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1))))
              (func (v128.store offset=16 align=16 (i32.const 0) (v128.load32_splat align=4 (i32.const 0)))))
            """);
        // Only a vector may initialise a vector global.
        AssertInvalid("type mismatch", "(module (global v128 (i32.const 0)))");
        AssertInvalid("constant expression required", "(module (global v128 (i32x4.splat (i32.const 0))))");
    }

    [Fact]
    public void ReservedSubopcodesAreMalformedNotInvalid()
    {
        // 0xFD 0x9A 0x01 (a reserved subopcode) in a function body.
        var bytes = Bytes.SingleFunction(0xFD, 0x9A, 0x01, 0x0B);
        var e = Assert.Throws<MalformedModuleException>(() => new Engine().Compile(bytes));
        Assert.StartsWith("illegal opcode", e.Reason);
    }
}
