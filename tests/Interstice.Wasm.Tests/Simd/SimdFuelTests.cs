using System.Runtime.Intrinsics;
using Interstice.Wasm.Tests.TestSupport;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Tests.Simd;

/// <summary>SIMD instructions cost fuel like any other instruction, and a SIMD loop runs out of it.</summary>
public sealed class SimdFuelTests
{
    private const string Wat = """
        (module
          (memory 1)
          (func (export "vector") (param v128 v128) (result v128)
            (i32x4.mul (i32x4.add (local.get 0) (local.get 1)) (v128.load (i32.const 0))))
          (func (export "scalar") (param i32 i32) (result i32)
            (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.load (i32.const 0))))
          (func (export "spin") (param v128)
            (loop $l (local.set 0 (i8x16.add (local.get 0) (local.get 0))) (br $l))))
        """;

    private static readonly EngineOptions Fuel = new() { ConsumeFuel = true };

    [Fact]
    public void AVectorInstructionCostsWhatAScalarOneCosts()
    {
        using var instance = TestModule.Instantiate(Wat, Fuel, new InstanceOptions { Fuel = 1_000 });
        instance.GetFunction<Func<V, V, V>>("vector")(V.Zero, V.Zero);
        long vector = 1_000 - instance.Fuel;
        instance.Fuel = 1_000;
        instance.GetFunction<Func<int, int, int>>("scalar")(0, 0);
        long scalar = 1_000 - instance.Fuel;
        Assert.Equal(scalar, vector);
        Assert.True(vector >= 7, $"consumed {vector}");
    }

    [Fact]
    public void AVectorLoopRunsOutOfFuel()
    {
        using var instance = TestModule.Instantiate(Wat, Fuel, new InstanceOptions { Fuel = 10_000 });
        var e = Assert.Throws<TrapException>(() => instance.GetFunction<Action<V>>("spin")(Vector128.Create((byte)1)));
        Assert.Equal(TrapKind.OutOfFuel, e.Kind);
    }
}
