using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>Disposing instances releases their memory reservations; disposed instances refuse calls instead of crashing.</summary>
public sealed class DisposalTests
{
    [Fact]
    public void ThousandsOfInstancesWithUnboundedMemoriesDoNotExhaustAddressSpace()
    {
        // Each memory without a maximum reserves 4 GiB of address space: 40 000 of them would need
        // 160 TiB, more than a 47-bit address space holds, unless disposal releases them.
        var module = TestModule.Compile("""
            (module (memory (export "memory") 1)
              (func (export "poke") (param i32) (i32.store (i32.const 100) (local.get 0)))
              (func (export "peek") (result i32) (i32.load (i32.const 100))))
            """);
        var linker = new Linker();
        for (int i = 0; i < 40_000; i++)
        {
            using var instance = linker.Instantiate(module);
            instance.GetFunction<Action<int>>("poke")(i);
            Assert.Equal(i, instance.GetFunction<Func<int>>("peek")());
        }
    }

    [Fact]
    public void ADisposedInstanceRefusesCallsAndItsMemoryRefusesAccess()
    {
        var instance = TestModule.Instantiate("""
            (module (memory (export "memory") 1) (func (export "f") (result i32) (i32.load (i32.const 0))))
            """);
        var f = instance.GetFunction<Func<int>>("f");
        var untyped = instance.GetFunction("f")!;
        var memory = instance.GetMemory("memory")!;
        instance.Dispose();
        Assert.Throws<ObjectDisposedException>(() => f());
        Assert.Throws<ObjectDisposedException>(() => untyped.Invoke());
        Assert.Throws<ObjectDisposedException>(() => memory.ReadInt32(0));
        Assert.Equal(0ul, memory.Length);
        instance.Dispose();
    }

    [Fact]
    public void AnImportedMemoryLivesUntilItsLastUserIsDisposed()
    {
        var owner = TestModule.Instantiate("(module (memory (export \"memory\") 1))");
        var user = TestModule.Instantiate("""
            (module (import "m" "memory" (memory 1))
              (func (export "rw") (param i32) (result i32) (i32.store (i32.const 8) (local.get 0)) (i32.load (i32.const 8))))
            """, linker: new Linker().DefineInstance("m", owner));
        owner.Dispose();
        Assert.Equal(77, user.GetFunction<Func<int, int>>("rw")(77));
        user.Dispose();
        Assert.Throws<ObjectDisposedException>(() => user.GetFunction<Func<int, int>>("rw")(1));
    }

    [Fact]
    public void DisposingDuringACallWaitsForTheCallToReturn()
    {
        Instance? instance = null;
        var linker = new Linker().DefineFunction("host", "dispose", () => instance!.Dispose());
        instance = TestModule.Instantiate("""
            (module (import "host" "dispose" (func $dispose)) (memory 1)
              (func (export "f") (result i32) (i32.store (i32.const 0) (i32.const 5)) (call $dispose) (i32.load (i32.const 0))))
            """, linker: linker);
        Assert.Equal(5, instance.GetFunction<Func<int>>("f")());
        Assert.Throws<ObjectDisposedException>(() => instance.GetFunction<Func<int>>("f")());
    }

    [Fact]
    public void AHostMemoryIsReleasedByItsOwnDispose()
    {
        var memory = new Memory(new MemoryType(new Limits(1, null)));
        memory.WriteInt32(0, 3);
        Assert.Equal(3, memory.ReadInt32(0));
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.ReadInt32(0));
        using var instance = TestModule.Instantiate("(module (memory (export \"memory\") 1))");
        Assert.Throws<InvalidOperationException>(() => instance.GetMemory("memory")!.Dispose());
    }
}
