using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>Loads and stores: explicit bounds checks (never a hardware fault), 33-bit effective addresses, unaligned access, growth seen by running code.</summary>
public sealed class MemoryAccessTests
{
    private static Instance Create() => TestModule.Instantiate("""
        (module
          (import "host" "grow" (func $host_grow))
          (memory (export "memory") 1 4)
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "load_far") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0)))
          (func (export "load64") (param i32) (result i64) (i64.load offset=3 (local.get 0)))
          (func (export "load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
          (func (export "load16_u64") (param i32) (result i64) (i64.load16_u (local.get 0)))
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "store32_64") (param i32 i64) (i64.store32 (local.get 0) (local.get 1)))
          ;; reads the last word before and after the host grows the memory through the API
          (func (export "grow_then_load") (result i32)
            (call $host_grow)
            (i32.load (i32.const 65536)))
          (func (export "size_after_grow") (result i32)
            (drop (memory.grow (i32.const 1)))
            (memory.size))
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
        """, linker: new Linker().DefineFunction("host", "grow", (Caller caller) => { caller.Memory!.Grow(1); }));

    [Fact]
    public void AccessesUpToTheLastByteSucceedAndOneBytePastTraps()
    {
        using var instance = Create();
        var load = instance.GetFunction<Func<int, int>>("load");
        Assert.Equal(0, load(65532));
        var trap = Assert.Throws<TrapException>(() => load(65533));
        Assert.Equal(TrapKind.MemoryOutOfBounds, trap.Kind);
        Assert.Contains("65533", trap.Detail);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => load(-1)).Kind);
    }

    [Fact]
    public void EffectiveAddressesDoNotWrapAround()
    {
        using var instance = Create();
        // 1 + 0xFFFFFFFF is 2^32: wrapping to 32 bits would read address 0.
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("load_far")(1)).Kind);
    }

    [Fact]
    public void UnalignedAndNarrowAccessesAreLittleEndian()
    {
        using var instance = Create();
        instance.GetFunction<Action<int, int>>("store")(5, unchecked((int)0x8899AABB));
        instance.GetFunction<Action<int, long>>("store32_64")(9, 0x11223344_55667788);
        Assert.Equal(0x55667788_8899AABBL, instance.GetFunction<Func<int, long>>("load64")(2));
        Assert.Equal(unchecked((sbyte)0x88), instance.GetFunction<Func<int, int>>("load8_s")(8));
        Assert.Equal(0x8899L, instance.GetFunction<Func<int, long>>("load16_u64")(7));
        Assert.Equal(0x77, instance.GetMemory("memory")!.ReadByte(10));
    }

    [Fact]
    public void CodeSeesGrowthByAHostFunctionAndByMemoryGrow()
    {
        using var instance = Create();
        Assert.Equal(0, instance.GetFunction<Func<int>>("grow_then_load")());
        Assert.Equal(2u, instance.GetMemory("memory")!.Pages);
        Assert.Equal(3, instance.GetFunction<Func<int>>("size_after_grow")());
    }

    [Fact]
    public void BulkOperationsCheckBoundsBeforeWriting()
    {
        using var instance = Create();
        var memory = instance.GetMemory("memory")!;
        var fill = instance.GetFunction<Action<int, int, int>>("fill");
        fill(10, 0xAB, 4);
        Assert.Equal(0xAB, memory.ReadByte(13));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => fill(65530, 1, 7)).Kind);
        Assert.Equal(0, memory.ReadByte(65530));
        var copy = instance.GetFunction<Action<int, int, int>>("copy");
        copy(11, 10, 4); // overlapping
        Assert.Equal(0xABABABAB, (uint)memory.ReadInt32(11));
        Assert.Equal(0xAB, memory.ReadByte(14));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => copy(0, 65535, 2)).Kind);
    }
}
