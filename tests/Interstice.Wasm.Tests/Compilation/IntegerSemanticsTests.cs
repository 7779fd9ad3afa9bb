using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>Integer instructions whose WebAssembly semantics differ from plain CIL: traps, shift masks, bit counts.</summary>
public sealed class IntegerSemanticsTests
{
    private static readonly Instance Ops = TestModule.Instantiate("""
        (module
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "rem_u64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
          (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
          (func (export "shr_u64") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
          (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
          (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
          (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "popcnt64") (param i64) (result i64) (i64.popcnt (local.get 0)))
          (func (export "extend8_s") (param i32) (result i32) (i32.extend8_s (local.get 0)))
          (func (export "extend32_s") (param i64) (result i64) (i64.extend32_s (local.get 0)))
          (func (export "extend_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
          (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
          (func (export "ge_s64") (param i64 i64) (result i32) (i64.ge_s (local.get 0) (local.get 1))))
        """);

    private static Func<int, int, int> I32(string name) => Ops.GetFunction<Func<int, int, int>>(name);
    private static Func<long, long, long> I64(string name) => Ops.GetFunction<Func<long, long, long>>(name);

    [Fact]
    public void DivisionByZeroTraps()
    {
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => I32("div_s")(1, 0)).Kind);
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => I32("div_u")(1, 0)).Kind);
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => I32("rem_s")(1, 0)).Kind);
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => I64("rem_u64")(1, 0)).Kind);
    }

    [Fact]
    public void SignedOverflowTrapsInDivisionButNotInRemainder()
    {
        Assert.Equal(TrapKind.IntegerOverflow, Assert.Throws<TrapException>(() => I32("div_s")(int.MinValue, -1)).Kind);
        Assert.Equal(TrapKind.IntegerOverflow, Assert.Throws<TrapException>(() => I64("div_s64")(long.MinValue, -1)).Kind);
        Assert.Equal(0, I32("rem_s")(int.MinValue, -1));
        Assert.Equal(0, I64("rem_s64")(long.MinValue, -1));
        Assert.Equal(-int.MaxValue, I32("div_s")(int.MaxValue, -1));
    }

    [Fact]
    public void DivisionRoundsTowardZeroAndUnsignedOperandsAreUnsigned()
    {
        Assert.Equal(-3, I32("div_s")(-7, 2));
        Assert.Equal(-1, I32("rem_s")(-7, 2));
        Assert.Equal(0x7FFFFFFF, I32("div_u")(-1, 2));
        Assert.Equal(1, I32("rem_u")(-1, 2));
    }

    [Fact]
    public void ShiftCountsAreTakenModuloTheWidth()
    {
        Assert.Equal(2, I32("shl")(1, 33));
        Assert.Equal(-1, I32("shr_s")(int.MinValue, 31 + 32));
        Assert.Equal(1L, I64("shr_u64")(long.MinValue, 63 + 64));
    }

    [Fact]
    public void RotationsWrapAround()
    {
        Assert.Equal(unchecked((int)0x00000003), I32("rotl")(unchecked((int)0x80000001), 1));
        Assert.Equal(unchecked((int)0x80000001), I32("rotl")(unchecked((int)0x80000001), 32));
        Assert.Equal(unchecked((long)0x8000000000000000), I64("rotr64")(1, 1));
    }

    [Fact]
    public void BitCountsHandleZero()
    {
        Assert.Equal(32, Ops.GetFunction<Func<int, int>>("clz")(0));
        Assert.Equal(0, Ops.GetFunction<Func<int, int>>("clz")(-1));
        Assert.Equal(64L, Ops.GetFunction<Func<long, long>>("ctz64")(0));
        Assert.Equal(64L, Ops.GetFunction<Func<long, long>>("popcnt64")(-1));
    }

    [Fact]
    public void SignAndZeroExtensions()
    {
        Assert.Equal(-128, Ops.GetFunction<Func<int, int>>("extend8_s")(0x180));
        Assert.Equal(-1L, Ops.GetFunction<Func<long, long>>("extend32_s")(0x1_FFFF_FFFF));
        Assert.Equal(0xFFFF_FFFFL, Ops.GetFunction<Func<int, long>>("extend_u")(-1));
    }

    [Fact]
    public void ComparisonsDistinguishSignedness()
    {
        Assert.Equal(0, I32("lt_u")(-1, 1));
        Assert.Equal(1, I32("lt_u")(1, -1));
        Assert.Equal(1, Ops.GetFunction<Func<long, long, int>>("ge_s64")(5, -5));
    }
}
