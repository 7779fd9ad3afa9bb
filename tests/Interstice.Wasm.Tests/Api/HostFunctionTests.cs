using System.Text;
using Interstice.Wasm.Tests.TestSupport;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Wasm.Tests.Api;

/// <summary>Host functions: types inferred from delegates, the caller's memory, untyped callbacks, references.</summary>
public sealed class HostFunctionTests
{
    [Fact]
    public void AHostFunctionReachesTheCallersMemoryThroughCaller()
    {
        string? logged = null;
        var linker = new Linker().DefineFunction("env", "log", (Caller caller, int pointer, int length) =>
        {
            logged = Encoding.UTF8.GetString(caller.Memory!.GetSpan((ulong)pointer, length));
            return length;
        });
        using var instance = TestModule.Instantiate("""
            (module (import "env" "log" (func $log (param i32 i32) (result i32)))
              (memory 1) (data (i32.const 16) "hello from wasm")
              (func (export "run") (result i32) (call $log (i32.const 16) (i32.const 15))))
            """, linker: linker);
        Assert.Equal(15, instance.GetFunction<Func<int>>("run")());
        Assert.Equal("hello from wasm", logged);
    }

    [Fact]
    public void TheCallerIsTheCallingInstanceWithItsExports()
    {
        Instance? seen = null;
        var linker = new Linker().DefineFunction("env", "who", (Caller caller) =>
        {
            seen = caller.Instance;
            return caller.GetGlobal("g")!.Value.AsI64();
        });
        using var instance = TestModule.Instantiate("""
            (module (import "env" "who" (func $who (result i64)))
              (global (export "g") i64 (i64.const 99))
              (func (export "run") (result i64) (call $who)))
            """, linker: linker);
        Assert.Equal(99L, instance.GetFunction<Func<long>>("run")());
        Assert.Same(instance, seen);
    }

    [Fact]
    public void DelegateTypesMapToWasmTypes()
    {
        var linker = new Linker()
            .DefineFunction("env", "all", (int a, long b, float c, double d) => a + b + (long)c + (long)d)
            .DefineFunction("env", "static", new Func<int, int>(StaticTwice))
            .DefineFunction("env", "pair", new PairDelegate(Pair));
        var module = TestModule.Compile("""
            (module
              (import "env" "all" (func $all (param i32 i64 f32 f64) (result i64)))
              (import "env" "static" (func $static (param i32) (result i32)))
              (import "env" "pair" (func $pair (param i32) (result i32 i32)))
              (func (export "run") (result i64)
                (call $all (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)))
              (func (export "twice") (param i32) (result i32) (call $static (local.get 0)))
              (func (export "pair") (result i32) (call $pair (i32.const 5)) (i32.sub)))
            """);
        Assert.Equal(ValueType.I64, module.Imports[0].Function!.Parameters[1]);
        using var instance = linker.Instantiate(module);
        Assert.Equal(10L, instance.GetFunction<Func<long>>("run")());
        Assert.Equal(14, instance.GetFunction<Func<int, int>>("twice")(7));
        Assert.Equal(-1, instance.GetFunction<Func<int>>("pair")());
    }

    private static int StaticTwice(int x) => x * 2;

    private delegate int PairDelegate(int x, out int second);

    private static int Pair(int x, out int second)
    {
        second = x + 1;
        return x;
    }

    [Fact]
    public void UntypedCallbacksHandleAnySignature()
    {
        var type = new FunctionType([ValueType.I32, ValueType.F64], [ValueType.F64, ValueType.I32, ValueType.ExternRef]);
        var token = new object();
        var linker = new Linker().DefineFunction("env", "multi", type, (caller, arguments, results) =>
        {
            results[0] = Value.FromF64(arguments[1].AsF64() * 2);
            results[1] = Value.FromI32(arguments[0].AsI32() + 1);
            results[2] = Value.FromExternRef(token);
        });
        using var instance = TestModule.Instantiate("""
            (module (import "env" "multi" (func $multi (param i32 f64) (result f64 i32 externref)))
              (func (export "run") (result f64 i32 externref) (call $multi (i32.const 41) (f64.const 1.5))))
            """, linker: linker);
        var results = instance.GetFunction("run")!.Invoke();
        Assert.Equal(3.0, results[0].AsF64());
        Assert.Equal(42, results[1].AsI32());
        Assert.Same(token, results[2].AsExternRef());
    }

    [Fact]
    public void AnUntypedCallbackReturningTheWrongTypeIsReported()
    {
        var linker = new Linker().DefineFunction("env", "bad", new FunctionType([], [ValueType.I32]),
            (caller, arguments, results) => results[0] = Value.FromI64(1));
        using var instance = TestModule.Instantiate("""
            (module (import "env" "bad" (func $bad (result i32))) (func (export "run") (result i32) (call $bad)))
            """, linker: linker);
        var error = Assert.Throws<InvalidOperationException>(() => instance.GetFunction<Func<int>>("run")());
        Assert.Contains("i64", error.Message);
    }

    [Fact]
    public void ReferencesPassBetweenHostAndWasm()
    {
        var linker = new Linker().DefineFunction("env", "call_it", (Function f, int x) =>
            f.Invoke(Value.FromI32(x))[0].AsI32() + 1);
        using var instance = TestModule.Instantiate("""
            (module (import "env" "call_it" (func $call_it (param funcref i32) (result i32)))
              (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (elem declare func $square)
              (func (export "run") (param i32) (result i32) (call $call_it (ref.func $square) (local.get 0)))
              (func (export "id") (param externref) (result externref) (local.get 0)))
            """, linker: linker);
        Assert.Equal(50, instance.GetFunction<Func<int, int>>("run")(7));
        var token = new object();
        Assert.Same(token, instance.GetFunction<Func<object?, object?>>("id")(token));
    }

    [Fact]
    public void DelegatesWithTypesWasmDoesNotHaveAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linker().DefineFunction("env", "f", (string s) => s.Length));
        Assert.Contains("String", error.Message);
        Assert.Throws<ArgumentException>(() => new Linker().DefineFunction("env", "f", (int x, decimal d) => x));
    }
}
