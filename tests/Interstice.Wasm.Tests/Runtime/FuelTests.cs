using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>Fuel: deterministic consumption, exhaustion as a trap, reading and topping up.</summary>
public sealed class FuelTests
{
    private const string Wat = """
        (module
          (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "spin") (loop $l (br $l)))
          (func (export "count") (param $n i32) (result i32) (local $i i32)
            (block $done
              (loop $l
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (call $add (local.get $i) (i32.const 1)))
                (br $l)))
            (local.get $i)))
        """;

    private static readonly EngineOptions Fuel = new() { ConsumeFuel = true };

    [Fact]
    public void RunningOutOfFuelTrapsAndATopUpLetsTheInstanceContinue()
    {
        using var instance = TestModule.Instantiate(Wat, Fuel, new InstanceOptions { Fuel = 1_000 });
        var spin = instance.GetFunction<Action>("spin");
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(spin).Kind);
        Assert.Equal(0, instance.Fuel);
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int, int>>("add")(1, 2)).Kind);

        instance.AddFuel(100);
        Assert.Equal(3, instance.GetFunction<Func<int, int, int>>("add")(1, 2));
        Assert.InRange(instance.Fuel, 1, 99);
    }

    [Fact]
    public void ConsumptionIsDeterministicAndProportionalToWork()
    {
        long Consumed(int n)
        {
            using var instance = TestModule.Instantiate(Wat, Fuel, new InstanceOptions { Fuel = 1_000_000 });
            Assert.Equal(n, instance.GetFunction<Func<int, int>>("count")(n));
            return 1_000_000 - instance.Fuel;
        }
        long ten = Consumed(10), twenty = Consumed(20);
        Assert.Equal(ten, Consumed(10));
        Assert.True(twenty > ten);
        // Every iteration costs the same: the difference is linear in the iteration count.
        Assert.Equal(twenty - ten, Consumed(30) - twenty);
    }

    [Fact]
    public void FuelCanBeSetAndIsChargedAcrossCalls()
    {
        using var instance = TestModule.Instantiate(Wat, Fuel, new InstanceOptions { Fuel = 50 });
        Assert.Equal(50, instance.Fuel);
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("count")(1_000)).Kind);
        instance.Fuel = 1_000_000;
        Assert.Equal(1_000, instance.GetFunction<Func<int, int>>("count")(1_000));
        Assert.True(instance.Fuel < 1_000_000 - 5_000, "each iteration and each call is charged");
    }

    [Fact]
    public void HostFunctionsCanReadAndChargeTheCallersFuel()
    {
        long seen = -1;
        var linker = new Linker().DefineFunction("host", "charge", (Caller caller) =>
        {
            seen = caller.Instance!.Fuel;
            caller.Instance.Fuel = Math.Max(0, seen - 500);
        });
        using var instance = TestModule.Instantiate("""
            (module (import "host" "charge" (func $charge))
              (func $work)
              (func (export "run") (call $charge) (call $work) (call $charge) (call $work)))
            """, Fuel, new InstanceOptions { Fuel = 800 }, linker);
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(instance.GetFunction<Action>("run")).Kind);
        Assert.InRange(seen, 1, 800);
    }

    [Fact]
    public void FuelIsUnavailableWhenTheEngineDoesNotConsumeIt()
    {
        using var instance = TestModule.Instantiate(Wat);
        Assert.Throws<InvalidOperationException>(() => instance.Fuel);
        Assert.Throws<InvalidOperationException>(() => instance.AddFuel(1));
    }
}
