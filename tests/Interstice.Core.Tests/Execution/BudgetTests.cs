using System.Diagnostics;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// A module that loops forever, allocates without end or recurses without end is stopped (fuel,
/// deadline, memory and stack limits), its transaction rolls back, and the node keeps serving.
/// </summary>
public class BudgetTests
{
    [Fact]
    public void A_reducer_that_loops_forever_runs_out_of_fuel_and_the_node_keeps_serving()
    {
        using var t = new TestNode(o => o with { FuelPerCall = 50_000_000, CallDeadline = null }, "hello", "rogue");
        var error = t.Fails("rogue", "spin");
        Assert.Equal(CallFailure.OutOfFuel, error.Failure);
        Assert.Equal("rogue.spin: ran out of fuel: a call may use 50000000 units", error.Message);

        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        t.Node.CallReducerJson("rogue", "echo", "[]"); // the same module, on a fresh instance
        Assert.Equal(2, t.Rows("hello", "greetings").Count);
    }

    [Fact]
    public void A_reducer_that_loops_forever_is_stopped_at_the_deadline()
    {
        // The deadline also covers the first call's JIT compilation of hello's functions below, so it
        // leaves room for a loaded machine.
        using var t = new TestNode(o => o with { FuelPerCall = long.MaxValue, CallDeadline = TimeSpan.FromSeconds(2) }, "hello", "rogue");
        var clock = Stopwatch.StartNew();
        var error = t.Fails("rogue", "spin");
        Assert.Equal(CallFailure.DeadlineExceeded, error.Failure);
        Assert.Equal("rogue.spin: exceeded the deadline of 2 s per call", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopped after {clock.Elapsed}");
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
    }

    [Fact]
    public void Queries_are_served_while_a_reducer_spins()
    {
        // A deadline long enough that a loaded machine still answers a few queries while the
        // reducer spins; the spinner and this test run on threads of their own, not the thread
        // pool, which other tests running in parallel can starve for seconds.
        var clock = new TrippingClock();
        using var t = new TestNode(o => o with { FuelPerCall = long.MaxValue, CallDeadline = TimeSpan.FromSeconds(10), TimeProvider = clock }, "hello", "rogue");
        Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]")); // compiled before the writer is taken
        CallFailedException? spun = null;
        Exception? unexpected = null;
        using var spinning = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            try
            {
                // The node reads the clock as the reducer's transaction begins, holding the writer.
                clock.OnNextRead(spinning.Set);
                spun = t.Fails("rogue", "spin");
            }
            catch (Exception e)
            {
                // Reported below: an exception escaping a thread would end the test run.
                unexpected = e;
            }
        });
        spinner.Start();
        Assert.True(spinning.Wait(TimeSpan.FromSeconds(30)), "the reducer never began");
        int servedMeanwhile = 0;
        while (spinner.IsAlive && servedMeanwhile < 20)
        {
            Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
            if (spinner.IsAlive) servedMeanwhile++;
        }
        spinner.Join();
        Assert.Null(unexpected);
        Assert.Equal(CallFailure.DeadlineExceeded, spun!.Failure);
        // Had queries waited for the writer, at most the one in flight would have returned before it let go.
        Assert.True(servedMeanwhile >= 2, $"{servedMeanwhile} queries answered while the reducer spun");
    }

    [Fact]
    public void A_query_that_loops_forever_is_stopped()
    {
        using var t = new TestNode(o => o with { FuelPerCall = 20_000_000 }, "hello", "rogue");
        var error = Assert.Throws<CallFailedException>(() => t.Node.RunQueryJson("rogue", "spin_query", "[]"));
        Assert.Equal(CallFailure.OutOfFuel, error.Failure);
        Assert.Equal("0", t.Node.RunQueryJson("rogue", "echo_count", "[]"));
    }

    [Fact]
    public void A_reducer_that_allocates_without_end_is_stopped_at_the_memory_limit()
    {
        using var t = new TestNode(o => o with { MaxMemoryPages = 64 }, "hello", "rogue");
        var error = t.Fails("rogue", "hog");
        Assert.Equal(CallFailure.Trapped, error.Failure);
        Assert.Contains("unreachable", error.Reason); // Rust aborts when an allocation fails
        t.Node.CallReducerJson("rogue", "echo", "[]");
    }

    [Fact]
    public void A_reducer_that_recurses_without_end_overflows_its_stack()
    {
        using var t = new TestNode("hello", "rogue");
        var error = t.Fails("rogue", "recurse");
        Assert.Equal(CallFailure.Trapped, error.Failure);
        // Rust keeps its stack in linear memory: it runs off the bottom before the call depth limit.
        Assert.Contains("out of bounds memory access", error.Reason);
        t.Node.CallReducerJson("rogue", "echo", "[]");
    }

    [Fact]
    public void Recursion_past_the_call_depth_limit_traps()
    {
        using var t = new TestNode();
        t.Node.LoadModule(GuestModule.Build("deep", $$"""
            (module {{GuestModule.Runtime}}
              (func $down (param i32) (result i32) (i32.add (i32.const 1) (call $down (local.get 0))))
              (func (export "interstice_reducer.go") (param i32 i32) (result i32) (call $down (i32.const 0))))
            """, reducers: """[{ "name": "go", "args": [] }]"""));
        var error = t.Fails("deep", "go");
        Assert.Equal(CallFailure.Trapped, error.Failure);
        Assert.Contains("call stack exhausted", error.Reason);
    }
}
