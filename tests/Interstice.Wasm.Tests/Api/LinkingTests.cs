using Interstice.Wasm.Tests.TestSupport;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Wasm.Tests.Api;

/// <summary>Import resolution: unknown names, type mismatches, limits subtyping, instances as modules.</summary>
public sealed class LinkingTests
{
    private static LinkException LinkError(string wat, Linker linker) =>
        Assert.Throws<LinkException>(() => linker.Instantiate(TestModule.Compile(wat)));

    [Fact]
    public void AnUnknownImportIsNamed()
    {
        var error = LinkError("(module (import \"env\" \"missing\" (func)))", new Linker());
        Assert.Equal("env", error.ImportModule);
        Assert.Equal("missing", error.ImportName);
        Assert.StartsWith("unknown import", error.Reason);
        Assert.Contains("env.missing", error.Message);
    }

    [Fact]
    public void AFunctionOfAnotherTypeIsIncompatible()
    {
        var error = LinkError("(module (import \"env\" \"f\" (func (param i32))))", new Linker().DefineFunction("env", "f", (long x) => { }));
        Assert.StartsWith("incompatible import type", error.Reason);
        Assert.Contains("(func (param i32))", error.Reason);
        Assert.Contains("(func (param i64))", error.Reason);
    }

    [Fact]
    public void AnItemOfAnotherKindIsIncompatible()
    {
        var linker = new Linker().Define("env", "m", new Global(new GlobalType(ValueType.I32, false), Value.FromI32(1)));
        Assert.Contains("expected a memory, found a global", LinkError("(module (import \"env\" \"m\" (memory 1)))", linker).Reason);
    }

    [Fact]
    public void GlobalsMustMatchTypeAndMutability()
    {
        var linker = new Linker().Define("env", "g", new Global(new GlobalType(ValueType.I32, true), Value.FromI32(1)));
        Assert.Contains("mutable i32", LinkError("(module (import \"env\" \"g\" (global i32)))", linker).Reason);
        using var ok = linker.Instantiate(TestModule.Compile("(module (import \"env\" \"g\" (global (mut i32))))"));
    }

    [Fact]
    public void LimitsOfImportedMemoriesAndTablesFollowSubtyping()
    {
        using var memory = new Memory(new MemoryType(new Limits(2, 4)));
        var linker = new Linker().Define("env", "memory", memory)
            .Define("env", "table", new Table(new TableType(ValueType.FuncRef, new Limits(5, null))));
        using (linker.Instantiate(TestModule.Compile("(module (import \"env\" \"memory\" (memory 1 4)))"))) { }
        Assert.Contains("limits", LinkError("(module (import \"env\" \"memory\" (memory 3)))", linker).Reason);
        Assert.Contains("limits", LinkError("(module (import \"env\" \"memory\" (memory 1 3)))", linker).Reason);
        using (linker.Instantiate(TestModule.Compile("(module (import \"env\" \"table\" (table 5 funcref)))"))) { }
        Assert.Contains("limits", LinkError("(module (import \"env\" \"table\" (table 1 10 funcref)))", linker).Reason);
        Assert.Contains("externref", LinkError("(module (import \"env\" \"table\" (table 1 externref)))", linker).Reason);
    }

    [Fact]
    public void MutableGlobalsAreSharedBetweenInstancesAndTheHost()
    {
        using var provider = TestModule.Instantiate("""
            (module (global $g (export "counter") (mut i64) (i64.const 10))
              (func (export "bump") (global.set $g (i64.add (global.get $g) (i64.const 1)))))
            """);
        using var user = TestModule.Instantiate("""
            (module (import "p" "counter" (global $g (mut i64)))
              (func (export "read") (result i64) (global.get $g)))
            """, linker: new Linker().DefineInstance("p", provider));
        provider.GetFunction<Action>("bump")();
        Assert.Equal(11L, user.GetFunction<Func<long>>("read")());
        provider.GetGlobal("counter")!.Value = Value.FromI64(100);
        Assert.Equal(100L, user.GetFunction<Func<long>>("read")());
    }

    [Fact]
    public void DefiningANameTwiceNeedsShadowing()
    {
        var linker = new Linker().DefineFunction("env", "f", () => { });
        Assert.Throws<InvalidOperationException>(() => linker.DefineFunction("env", "f", () => { }));
        linker.AllowShadowing = true;
        linker.DefineFunction("env", "f", (int x) => { });
        using var instance = linker.Instantiate(TestModule.Compile("(module (import \"env\" \"f\" (func (param i32))))"));
    }

    [Fact]
    public void ASegmentOutOfBoundsFailsInstantiationWithATrap()
    {
        var trap = Assert.Throws<TrapException>(() => TestModule.Instantiate("(module (memory 1) (data (i32.const 65535) \"ab\"))"));
        Assert.Equal(TrapKind.MemoryOutOfBounds, trap.Kind);
        trap = Assert.Throws<TrapException>(() => TestModule.Instantiate("(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))"));
        Assert.Equal(TrapKind.TableOutOfBounds, trap.Kind);
    }

    [Fact]
    public void TheStartFunctionRunsAtInstantiationAndItsTrapFailsIt()
    {
        using var instance = TestModule.Instantiate("""
            (module (global $g (export "g") (mut i32) (i32.const 0))
              (func $start (global.set $g (i32.const 7))) (start $start))
            """);
        Assert.Equal(7, instance.GetGlobal("g")!.Value.AsI32());
        Assert.Equal(TrapKind.Unreachable, Assert.Throws<TrapException>(() => TestModule.Instantiate("(module (func $s unreachable) (start $s))")).Kind);
    }
}
