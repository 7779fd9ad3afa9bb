using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>Per-instance resource limits: memory pages, table elements, call depth.</summary>
public sealed class LimitTests
{
    [Fact]
    public void MemoryGrowBeyondTheLimitReturnsMinusOne()
    {
        using var instance = TestModule.Instantiate("""
            (module (memory (export "memory") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, instanceOptions: new InstanceOptions { MaxMemoryPages = 3 });
        var grow = instance.GetFunction<Func<int, int>>("grow");
        Assert.Equal(1, grow(2));
        Assert.Equal(-1, grow(1));
        Assert.Equal(3u, instance.GetMemory("memory")!.Pages);
        Assert.Equal(-1, instance.GetMemory("memory")!.Grow(1));
        Assert.Equal(3, grow(0));
    }

    [Fact]
    public void AMemoryLargerThanTheLimitFailsInstantiation()
    {
        var error = Assert.Throws<WasmResourceException>(() => TestModule.Instantiate("(module (memory 10))", instanceOptions: new InstanceOptions { MaxMemoryPages = 5 }));
        Assert.Contains("10 pages", error.Message);
    }

    [Fact]
    public void TableGrowBeyondTheLimitReturnsMinusOne()
    {
        using var instance = TestModule.Instantiate("""
            (module (table (export "table") 2 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
            """, instanceOptions: new InstanceOptions { MaxTableElements = 10 });
        var grow = instance.GetFunction<Func<int, int>>("grow");
        Assert.Equal(2, grow(8));
        Assert.Equal(-1, grow(1));
        Assert.Equal(10u, instance.GetTable("table")!.Length);
    }

    [Fact]
    public void CallDepthLimitTrapsWithCallStackExhausted()
    {
        const string wat = """
            (module (func $down (export "down") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
                (else (call $down (i32.sub (local.get 0) (i32.const 1)))))))
            """;
        using var instance = TestModule.Instantiate(wat, instanceOptions: new InstanceOptions { MaxCallDepth = 100 });
        var down = instance.GetFunction<Func<int, int>>("down");
        Assert.Equal(7, down(98));
        var trap = Assert.Throws<TrapException>(() => down(100));
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);
        Assert.Contains("100", trap.Detail);
        // The depth budget is restored after the trap.
        Assert.Equal(7, down(98));
    }
}
