using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary><c>poll_oneoff</c> with one clock subscription, relative or absolute, on clocks that only a sleep advances.</summary>
public sealed class WasiPollTests
{
    /// <summary>
    /// Polls one monotonic-clock subscription (user data 42) at 0 with <c>timeout</c> and
    /// <c>flags</c>, events at 64, the count at 128; returns the errno, the count and the event's
    /// user data.
    /// </summary>
    private const string Poll = """
        (module
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "poll") (param $timeout i64) (param $flags i32) (result i32 i32 i64)
            (i64.store (i32.const 0) (i64.const 42))
            (i32.store8 (i32.const 8) (i32.const 0))
            (i32.store (i32.const 16) (i32.const 1))
            (i64.store (i32.const 24) (local.get $timeout))
            (i32.store16 (i32.const 40) (local.get $flags))
            (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))
            (i32.load (i32.const 128))
            (i64.load (i32.const 64))))
        """;

    [Fact]
    public void AbsoluteTimeoutsSleepUntilTheDeadlineAndRelativeOnesForTheTimeout()
    {
        var clocks = new ManualClocks();
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration { Clocks = clocks });
        using var instance = linker.Instantiate(TestModule.Compile(Poll));
        var poll = instance.GetFunction("poll")!;

        // The monotonic clock starts at 5 s: an absolute deadline of 7 s is 2 s away.
        Assert.Equal([Value.FromI32(0), Value.FromI32(1), Value.FromI64(42)], poll.Invoke(Value.FromI64(7_000_000_000), Value.FromI32(1)));
        // Now at 7 s: a deadline already past does not sleep.
        Assert.Equal([Value.FromI32(0), Value.FromI32(1), Value.FromI64(42)], poll.Invoke(Value.FromI64(1_000_000_000), Value.FromI32(1)));
        // Relative: the timeout itself.
        Assert.Equal([Value.FromI32(0), Value.FromI32(1), Value.FromI64(42)], poll.Invoke(Value.FromI64(3_000_000_000), Value.FromI32(0)));
        Assert.Equal([2_000_000_000L, 0L, 3_000_000_000L], clocks.Sleeps);
    }
}
