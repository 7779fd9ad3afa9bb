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

    /// <summary>
    /// Loops of several shapes, each entered after a call to <c>host.started</c>: those that call
    /// a function of the module on every iteration rely on its entry check to see the interrupt;
    /// the others (call on some paths only, a branch back before the call, a host call) need their
    /// own check at the loop header.
    /// </summary>
    private const string LoopShapes = """
        (module
          (import "host" "started" (func $started))
          (import "host" "nop" (func $host_nop))
          (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "calls_every_iteration") (param i32) (result i32)
            (call $started)
            (loop $l (local.set 0 (call $leaf (local.get 0))) (br $l))
            (local.get 0))
          (func (export "calls_on_some_paths") (param i32)
            (call $started)
            (loop $l (if (i32.eq (local.get 0) (i32.const 7)) (then (drop (call $leaf (local.get 0))))) (br $l)))
          (func (export "branches_back_before_the_call") (param i32)
            (call $started)
            (loop $l (br_if $l (local.get 0)) (drop (call $leaf (local.get 0))) (br $l)))
          (func (export "calls_the_host") (param i32)
            (call $started)
            (loop $l (call $host_nop) (br $l)))
          (func $tree (export "tree") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
              (else (i32.add (call $tree (i32.sub (local.get 0) (i32.const 1)))
                             (call $tree (i32.sub (local.get 0) (i32.const 2))))))))
        """;

    [Theory]
    [InlineData("calls_every_iteration")]
    [InlineData("calls_on_some_paths")]
    [InlineData("branches_back_before_the_call")]
    [InlineData("calls_the_host")]
    [InlineData("tree")]
    public async Task InterruptStopsEveryShapeOfEndlessCode(string export)
    {
        using var started = new ManualResetEventSlim();
        var linker = new Linker()
            .DefineFunction("host", "started", () => started.Set())
            .DefineFunction("host", "nop", () => { });
        using var instance = TestModule.Instantiate(LoopShapes, linker: linker);
        var function = instance.GetFunction(export)!;
        var run = Task.Run(() =>
        {
            // "tree" has no loop and no call to host.started: recursion over 2^60 calls runs until stopped.
            if (export == "tree") started.Set();
            return Assert.Throws<TrapException>(() => function.Invoke(Value.FromI32(export == "tree" ? 60 : 1)));
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        Thread.Sleep(20);
        instance.Interrupt();
        var trap = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrapKind.Interrupted, trap.Kind);
        Assert.Equal(2, instance.Call("tree", Value.FromI32(3)).AsI32());
    }

    [Fact]
    public void ADeadlineThatExpiresBetweenCallsAndIsWithdrawnLeavesTheNextCallRunning()
    {
        using var instance = TestModule.Instantiate(Wat);
        var recurse = instance.GetFunction<Func<int, int>>("recurse");
        using (instance.SetTimeout(TimeSpan.FromMilliseconds(1))) Thread.Sleep(100);
        Assert.Equal(0, recurse(100));
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
