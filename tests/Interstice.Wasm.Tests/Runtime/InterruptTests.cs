using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Runtime;

/// <summary>Stopping running code from another thread: <see cref="Instance.Interrupt"/> and deadlines.</summary>
public sealed class InterruptTests
{
    private const string Wat = """
        (module
          (func (export "spin") (loop $l (br $l)))
          (func $recurse (export "recurse") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (call $recurse (i32.sub (local.get 0) (i32.const 1))))))
          (func (export "spin_calls") (loop $l (drop (call $recurse (i32.const 3))) (br $l))))
        """;

    [Fact]
    public async Task InterruptStopsALoopWithoutCallsFromAnotherThread()
    {
        using var instance = TestModule.Instantiate(Wat);
        var spin = instance.GetFunction<Action>("spin");
        using var started = new ManualResetEventSlim();
        var run = Task.Run(() =>
        {
            started.Set();
            return Assert.Throws<TrapException>(spin);
        });
        started.Wait();
        Thread.Sleep(50);
        instance.Interrupt();
        var trap = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrapKind.Interrupted, trap.Kind);

        // The interrupt was consumed: the instance works again.
        Assert.Equal(0, instance.GetFunction<Func<int, int>>("recurse")(5));
    }

    [Fact]
    public void ADeadlineStopsACallAndIsForgottenAfterwards()
    {
        using var instance = TestModule.Instantiate(Wat);
        using (instance.SetTimeout(TimeSpan.FromMilliseconds(50)))
        {
            Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(instance.GetFunction<Action>("spin_calls")).Kind);
        }
        // A deadline disposed before it expires never fires.
        using (instance.SetTimeout(TimeSpan.FromMilliseconds(20)))
        {
            Assert.Equal(0, instance.GetFunction<Func<int, int>>("recurse")(10));
        }
        Thread.Sleep(100);
        Assert.Equal(0, instance.GetFunction<Func<int, int>>("recurse")(10));
    }

    [Fact]
    public void AnInterruptRequestedBetweenCallsStopsTheNextCall()
    {
        using var instance = TestModule.Instantiate(Wat);
        instance.Interrupt();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => instance.GetFunction<Func<int, int>>("recurse")(1)).Kind);
        Assert.Equal(0, instance.GetFunction<Func<int, int>>("recurse")(1));
    }

    [Fact]
    public void ADeadlineThatExpiresAndIsWithdrawnInsideAHostFunctionLeavesTheCallRunning()
    {
        Instance? instance = null;
        var linker = new Linker().DefineFunction("host", "wait", () =>
        {
            using (instance!.SetTimeout(TimeSpan.FromMilliseconds(1))) Thread.Sleep(100);
        });
        instance = TestModule.Instantiate("""
            (module (import "host" "wait" (func $wait))
              ;; recursive, so that real calls (with their entry checks) follow the host call
              (func $inner (param i32) (result i32)
                (if (result i32) (local.get 0) (then (call $inner (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 1))))
              (func (export "run") (result i32) (call $wait) (call $inner (i32.const 3))))
            """, linker: linker);
        using (instance) Assert.Equal(1, instance.GetFunction<Func<int>>("run")());
    }

    [Fact]
    public void ManyShortCallsWithLongDeadlinesDoNotAccumulate()
    {
        using var instance = TestModule.Instantiate(Wat);
        var recurse = instance.GetFunction<Func<int, int>>("recurse");
        for (int i = 0; i < 10_000; i++)
        {
            using (instance.SetTimeout(TimeSpan.FromMinutes(10))) recurse(1);
        }
        Assert.InRange(Wasm.Runtime.Deadlines.QueueLength, 0, 5_000);
    }
}
