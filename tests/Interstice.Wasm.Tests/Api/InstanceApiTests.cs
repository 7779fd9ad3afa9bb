using Interstice.Wasm.Tests.TestSupport;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Wasm.Tests.Api;

/// <summary>Reaching an instance's exports from the host: typed and untyped calls, memories, tables, globals, and misuse.</summary>
public sealed class InstanceApiTests
{
    private static Instance Create() => TestModule.Instantiate("""
        (module
          (memory (export "memory") 1 3)
          (table (export "table") 2 funcref)
          (global (export "answer") i32 (i32.const 42))
          (global (export "counter") (mut i64) (i64.const 0))
          (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "divmod") (param i32 i32) (result i32 i32)
            (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
          (elem (i32.const 1) $add))
        """);

    private delegate int DivMod(int a, int b, out int remainder);

    [Fact]
    public void TypedAndUntypedCallsAgree()
    {
        using var instance = Create();
        Assert.Equal(5, instance.GetFunction<Func<int, int, int>>("add")(2, 3));
        Assert.Equal(Value.FromI32(5), instance.Call("add", Value.FromI32(2), Value.FromI32(3)));
        Assert.Equal(3, instance.GetFunction<DivMod>("divmod")(17, 5, out int remainder));
        Assert.Equal(2, remainder);
        var results = new Value[2];
        instance.GetFunction("divmod")!.Invoke([Value.FromI32(17), Value.FromI32(5)], results);
        Assert.Equal(2, results[1].AsI32());
    }

    [Fact]
    public void FunctionsFromTablesCanBeCalledFromTheHost()
    {
        using var instance = Create();
        var function = instance.GetTable("table")!.Get(1).AsFunction()!;
        Assert.Equal(new FunctionType([ValueType.I32, ValueType.I32], [ValueType.I32]), function.Type);
        Assert.Equal(9, function.AsDelegate<Func<int, int, int>>()(4, 5));
        Assert.Null(instance.GetTable("table")!.Get(0).AsFunction());
        Assert.Equal(2, instance.GetTable("table")!.Grow(3, Value.FromFunction(function)));
        Assert.Same(function, instance.GetTable("table")!.Get(4).AsFunction());
    }

    [Fact]
    public void MemoryIsReadAndWrittenWithBoundsChecks()
    {
        using var instance = Create();
        var memory = instance.GetMemory("memory")!;
        Assert.Equal(65536ul, memory.Length);
        memory.WriteInt64(65528, -2);
        Assert.Equal(-2L, memory.ReadInt64(65528));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.ReadInt64(65529));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.GetSpan(ulong.MaxValue, 1));
        Assert.Equal(1, memory.Grow(1));
        Assert.Equal(-1, memory.Grow(5));
        Assert.Equal(2u, memory.Pages);
    }

    [Fact]
    public void GlobalsAreReadAndMutableOnesWritten()
    {
        using var instance = Create();
        Assert.Equal(42, instance.GetGlobal("answer")!.Value.AsI32());
        Assert.Throws<InvalidOperationException>(() => instance.GetGlobal("answer")!.Value = Value.FromI32(1));
        var counter = instance.GetGlobal("counter")!;
        counter.Value = Value.FromI64(7);
        Assert.Equal(7L, counter.Value.AsI64());
        Assert.Throws<ArgumentException>(() => counter.Value = Value.FromI32(1));
    }

    [Fact]
    public void MisuseIsReportedClearly()
    {
        using var instance = Create();
        Assert.Null(instance.GetFunction("nope"));
        Assert.Null(instance.GetMemory("add"));
        Assert.Contains("nope", Assert.Throws<ArgumentException>(() => instance.GetFunction<Action>("nope")).Message);
        Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => instance.GetFunction<Func<long, long, long>>("add")).Message);
        var add = instance.GetFunction("add")!;
        Assert.Contains("2 arguments", Assert.Throws<ArgumentException>(() => add.Invoke(Value.FromI32(1))).Message);
        Assert.Contains("must be i32", Assert.Throws<ArgumentException>(() => add.Invoke(Value.FromI32(1), Value.FromF32(1))).Message);
        Assert.Throws<ArgumentException>(() => add.Invoke([Value.FromI32(1), Value.FromI32(1)], Span<Value>.Empty));
        Assert.Throws<InvalidOperationException>(() => Value.FromI32(1).AsI64());
    }

    [Fact]
    public void ValuesKeepFloatBitsExactly()
    {
        var nan = Value.FromF32Bits(0x7FA00001);
        Assert.Equal(0x7FA00001ul, nan.Bits);
        Assert.Equal("f32:nan:0x200001", nan.ToString());
        Assert.Equal(Value.FromF64Bits(0xFFF8000000000001), Value.FromF64Bits(0xFFF8000000000001));
        Assert.NotEqual(Value.FromI32(1), Value.FromI64(1));
        Assert.True(Value.Default(ValueType.FuncRef).IsNullReference);
    }
}
