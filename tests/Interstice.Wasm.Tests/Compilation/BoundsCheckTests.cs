using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>
/// The bounds check compares the effective address with <c>size - width</c> (signed, hoisted out
/// of loops by the JIT): these are the cases where that form could go wrong.
/// </summary>
public sealed class BoundsCheckTests
{
    [Fact]
    public void EmptyMemoryTrapsEveryAccess()
    {
        // size - width is negative: no address, not even 0, may pass.
        using var instance = TestModule.Instantiate("""
            (module
              (memory 0 1)
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """);
        var load8 = instance.GetFunction<Func<int, int>>("load8");
        var load64 = instance.GetFunction<Func<int, long>>("load64");
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => load8(0)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => load64(0)).Kind);
        Assert.Equal(0, instance.GetFunction<Func<int>>("grow")());
        Assert.Equal(0, load8(65535));
        Assert.Equal(0L, load64(65528));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => load64(65529)).Kind);
    }

    [Fact]
    public void HighestAddressesAndOffsetsDoNotOverflowTheComparison()
    {
        using var instance = TestModule.Instantiate("""
            (module
              (memory 1)
              (func (export "far") (param i32) (result i64) (i64.load offset=0xFFFFFFFF (local.get 0))))
            """);
        var far = instance.GetFunction<Func<int, long>>("far");
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => far(-1)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => far(0)).Kind);
    }

    [Fact]
    public void LoopsSeeTheMemoryGrowWhileTheyRun()
    {
        // Each iteration grows the memory by a page and reads the last word of the new page: a
        // limit computed once before the loop would trap on the second iteration.
        using var instance = TestModule.Instantiate("""
            (module
              (memory 1 10)
              (func (export "grow_and_read") (param $n i32) (result i32) (local $sum i32)
                (loop $again
                  (drop (memory.grow (i32.const 1)))
                  (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 7))
                  (local.set $sum (i32.add (local.get $sum)
                    (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))))
                  (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $sum)))
            """);
        Assert.Equal(7 * 9, instance.GetFunction<Func<int, int>>("grow_and_read")(9));
    }
}
