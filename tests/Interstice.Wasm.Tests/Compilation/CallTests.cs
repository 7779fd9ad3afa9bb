using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>Direct calls, calls through tables (with their three checks) and calls between instances.</summary>
public sealed class CallTests
{
    private const string TableModule = """
        (module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (table (export "table") 4 funcref)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $nothing (type $v))
          (elem (i32.const 0) $double $nothing)
          (func (export "call") (param i32 i32) (result i32)
            (call_indirect (type $ii) (local.get 1) (local.get 0))))
        """;

    [Fact]
    public void CallIndirectChecksBoundsNullAndSignature()
    {
        using var instance = TestModule.Instantiate(TableModule);
        var call = instance.GetFunction<Func<int, int, int>>("call");
        Assert.Equal(42, call(0, 21));
        Assert.Equal(TrapKind.IndirectCallTypeMismatch, Assert.Throws<TrapException>(() => call(1, 0)).Kind);
        Assert.Equal(TrapKind.UninitializedElement, Assert.Throws<TrapException>(() => call(2, 0)).Kind);
        Assert.Equal(TrapKind.UndefinedElement, Assert.Throws<TrapException>(() => call(4, 0)).Kind);
        Assert.Equal(TrapKind.UndefinedElement, Assert.Throws<TrapException>(() => call(-1, 0)).Kind);
    }

    [Fact]
    public void TablesCanHoldFunctionsOfOtherInstancesAndHostFunctions()
    {
        using var provider = TestModule.Instantiate("""
            (module
              (memory 1)
              (func (export "square") (param i32) (result i32)
                (i32.store (i32.const 0) (i32.mul (local.get 0) (local.get 0)))
                (i32.load (i32.const 0))))
            """);
        using var instance = TestModule.Instantiate(TableModule);
        var table = instance.GetTable("table")!;
        table.Set(2, Value.FromFunction(provider.GetFunction("square")));
        var host = new Linker().DefineFunction("h", "f", (int x) => x + 1000).GetDefinition("h", "f");
        table.Set(3, Value.FromFunction((Function)host!));
        var call = instance.GetFunction<Func<int, int, int>>("call");
        Assert.Equal(49, call(2, 7));
        Assert.Equal(1007, call(3, 7));
    }

    [Fact]
    public void ImportedFunctionsOfAnotherInstanceAreCalledWithTheirOwnMemory()
    {
        using var provider = TestModule.Instantiate("""
            (module
              (memory 1)
              (data (i32.const 0) "\2a")
              (func (export "peek") (result i32) (i32.load8_u (i32.const 0))))
            """);
        using var consumer = TestModule.Instantiate("""
            (module
              (import "p" "peek" (func $peek (result i32)))
              (memory 1)
              (data (i32.const 0) "\07")
              (func (export "both") (result i32) (i32.add (call $peek) (i32.load8_u (i32.const 0)))))
            """, linker: new Linker().DefineInstance("p", provider));
        Assert.Equal(49, consumer.GetFunction<Func<int>>("both")());
    }

    [Fact]
    public void MutualRecursionAcrossDirectCallsWorksDeeply()
    {
        using var instance = TestModule.Instantiate("""
            (module
              (func $even (export "even") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
              (func $odd (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $even (i32.sub (local.get 0) (i32.const 1)))))))
            """);
        Assert.Equal(1, instance.GetFunction<Func<int, int>>("even")(10_000));
        Assert.Equal(0, instance.GetFunction<Func<int, int>>("even")(9_999));
    }
}
