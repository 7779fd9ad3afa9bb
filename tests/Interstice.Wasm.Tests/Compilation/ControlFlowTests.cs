using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>
/// Structured control flow mapped to CIL: branches that leave extra operands below their values,
/// br_table stubs, multi-value blocks, loops with parameters, and code after unconditional branches.
/// </summary>
public sealed class ControlFlowTests
{
    private static readonly Instance Flow = TestModule.Instantiate("""
        (module
          ;; br out of a block with two extra operands below the branch value
          (func (export "br_extras") (param i32) (result i32)
            (i32.add (i32.const 100)
              (block (result i32)
                (i32.const 1) (i32.const 2)
                (br_if 0 (i32.const 7) (local.get 0))
                (drop) (drop) (drop) (i32.const 8))))
          ;; br_table whose targets need different adjustments, and a return target
          (func (export "table") (param i32) (result i32)
            (i32.const 1000)
            (block $b0 (result i32)
              (block $b1 (result i32)
                (i32.const 5) (i32.const 6)
                (br_table $b0 $b1 2 $b1 (i32.const 10) (local.get 0)))
              (i32.add (i32.const 20)))
            (i32.add))
          ;; multi-value block, function and call
          (func $pair (result i32 i64) (i32.const 3) (i64.const 4))
          (func (export "multi") (result i64) (local i64)
            (block (result i32 i64) (call $pair))
            (i64.const 38) (i64.add)
            (local.set 0)
            (i64.extend_i32_u)
            (block (param i64) (result i64) (local.get 0) (i64.add)))
          (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
          ;; a loop with a parameter, branched to with a new value
          (func (export "count") (param i32) (result i32)
            (local.get 0)
            (loop $l (param i32) (result i32)
              (i32.sub (i32.const 1))
              (local.set 0)
              (br_if $l (local.get 0) (i32.gt_s (local.get 0) (i32.const 0)))))
          ;; if without else passing its parameter through
          (func (export "if_param") (param i32 i32) (result i32)
            (local.get 0)
            (if (param i32) (result i32) (local.get 1) (then (i32.const 1) (i32.add))))
          ;; code after br and return in nested blocks is not emitted
          (func (export "dead") (param i32) (result i32)
            (block (result i32)
              (block (br 1 (i32.const 9)) (i32.const 1) (drop) (unreachable))
              (i32.const 3))
            (return)
            (i32.const 4)
            (block (loop (br 0))))
          (func (export "return_from_depth") (param i32) (result i32)
            (i32.const 1) (i32.const 2)
            (block (block (br_if 2 (i32.const 50) (local.get 0)) (drop)))
            (i32.add)))
        """);

    [Theory]
    [InlineData(1, 107)]
    [InlineData(0, 108)]
    public void BranchDropsOperandsBelowItsValue(int condition, int expected) =>
        Assert.Equal(expected, Flow.GetFunction<Func<int, int>>("br_extras")(condition));

    [Theory]
    [InlineData(0, 1010)] // $b0 directly: 1000 + 10
    [InlineData(1, 1030)] // $b1: 10 + 20, then + 1000
    [InlineData(2, 10)]   // depth 2 is the function: returns 10
    [InlineData(3, 1030)]
    [InlineData(99, 1030)] // default
    public void BrTableReachesEachTarget(int index, int expected) =>
        Assert.Equal(expected, Flow.GetFunction<Func<int, int>>("table")(index));

    [Fact]
    public void MultipleValuesFlowThroughBlocksCallsAndResults()
    {
        Assert.Equal(45L, Flow.GetFunction<Func<long>>("multi")());
        var results = Flow.GetFunction("swap")!.Invoke(Value.FromI32(1), Value.FromI32(2));
        Assert.Equal([2, 1], results.Select(v => v.AsI32()));
    }

    [Fact]
    public void LoopParametersCarryValuesAcrossIterations() =>
        Assert.Equal(0, Flow.GetFunction<Func<int, int>>("count")(10));

    [Theory]
    [InlineData(1, 5, 6)]
    [InlineData(0, 5, 5)]
    public void IfWithoutElsePassesItsParameterThrough(int condition, int value, int expected) =>
        Assert.Equal(expected, Flow.GetFunction<Func<int, int, int>>("if_param")(value, condition));

    [Fact]
    public void CodeAfterUnconditionalBranchesIsSkipped() =>
        Assert.Equal(9, Flow.GetFunction<Func<int, int>>("dead")(0));

    [Theory]
    [InlineData(1, 50)]
    [InlineData(0, 3)]
    public void ConditionalBranchToTheFunctionReturns(int condition, int expected) =>
        Assert.Equal(expected, Flow.GetFunction<Func<int, int>>("return_from_depth")(condition));
}
