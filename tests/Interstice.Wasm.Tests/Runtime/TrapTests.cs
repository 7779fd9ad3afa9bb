using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>Traps carry their kind, a detail, and a WebAssembly backtrace named from the name section.</summary>
public sealed class TrapTests
{
    // $fail is large enough for the JIT not to inline it.
    private const string Wat = """
        (module $calc
          (memory 1)
          (func $fail (param i32) (result i32)
            (i32.store (i32.const 0) (local.get 0))
            (i32.store (i32.const 4) (i32.mul (local.get 0) (local.get 0)))
            (i32.store (i32.const 8) (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 4))))
            (if (i32.eq (local.get 0) (i32.const 0)) (then unreachable))
            (i32.load (i32.const 8)))
          (func $walk (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (call $fail (local.get 0)))
              (else (i32.add (call $walk (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
          (func $run (export "run") (param i32) (result i32) (call $walk (local.get 0))))
        """;

    [Fact]
    public void TheBacktraceListsFunctionsByNameInnermostFirst()
    {
        using var instance = TestModule.Instantiate(Wat);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("run")(3));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal("fail", trap.Backtrace[0].FunctionName);
        Assert.Equal(0, trap.Backtrace[0].FunctionIndex);
        Assert.Equal("calc", trap.Backtrace[0].ModuleName);
        // The JIT may inline a call (here a level of the recursion), and an inlined frame is not seen.
        Assert.InRange(trap.Backtrace.Count(f => f.FunctionName == "walk"), 2, 4);
        Assert.Equal("run", trap.Backtrace[^1].FunctionName);
        Assert.Contains("calc!fail", trap.Message);
        Assert.StartsWith("wasm trap: unreachable", trap.Message);
    }

    [Fact]
    public void TheUntypedCallGivesTheSameBacktrace()
    {
        using var instance = TestModule.Instantiate(Wat);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("run")!.Invoke(Value.FromI32(2)));
        Assert.Equal("fail", trap.Backtrace[0].FunctionName);
        Assert.Equal("run", trap.Backtrace[^1].FunctionName);
        Assert.All(trap.Backtrace.Skip(1).SkipLast(1), frame => Assert.Equal("walk", frame.FunctionName));
    }

    [Fact]
    public void WithoutANameSectionFramesAreNumbered()
    {
        var module = new Engine().Compile(TestSupport.Wat.ToWasm("(module (func (export \"f\") unreachable))"));
        using var instance = new Linker().Instantiate(module);
        var trap = Assert.Throws<TrapException>(instance.GetFunction<Action>("f"));
        var frame = Assert.Single(trap.Backtrace);
        Assert.Null(frame.FunctionName);
        Assert.Contains("<func 0>", trap.Message);
    }

    [Fact]
    public void AHostFunctionCanTrapItsCaller()
    {
        var linker = new Linker().DefineFunction("host", "check", (int x) =>
        {
            if (x < 0) throw new TrapException(TrapKind.Unreachable, detail: "negative input");
            return x;
        });
        using var instance = TestModule.Instantiate("""
            (module (import "host" "check" (func $check (param i32) (result i32)))
              (func (export "f") (param i32) (result i32) (call $check (local.get 0))))
            """, linker: linker);
        Assert.Equal(5, instance.GetFunction<Func<int, int>>("f")(5));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("f")(-1));
        Assert.Equal("negative input", trap.Detail);
    }

    [Fact]
    public void OtherHostExceptionsPropagateUnchanged()
    {
        var linker = new Linker().DefineFunction("host", "fail", new Action(() => throw new InvalidOperationException("host failure")));
        using var instance = TestModule.Instantiate("""
            (module (import "host" "fail" (func $fail)) (func (export "f") (call $fail)))
            """, linker: linker);
        Assert.Equal("host failure", Assert.Throws<InvalidOperationException>(instance.GetFunction<Action>("f")).Message);
        instance.GetFunction("f"); // the instance is still usable
    }
}
