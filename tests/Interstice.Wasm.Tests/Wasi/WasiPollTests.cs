using System.Runtime.InteropServices;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Wasi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>
/// <c>poll_oneoff</c> with one clock subscription, relative or absolute, on clocks that only a
/// sleep advances; and with a read subscription on a file whose size the host cannot tell.
/// </summary>
public sealed partial class WasiPollTests
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

    /// <summary>
    /// Opens "fifo" in the preopened directory (fd 3) for reading and writing (so that opening a
    /// FIFO does not wait for a writer), polls one read subscription (user data 7) on it with the
    /// events at 64 and the count at 128; returns the errno of the open, the errno of the poll,
    /// the count, the event's user data, its error and its type.
    /// </summary>
    private const string PollFifo = """
        (module
          (import "wasi_snapshot_preview1" "path_open"
            (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 200) "fifo")
          (func (export "poll") (result i32 i32 i32 i64 i32 i32)
            ;; Rights: fd_read | fd_write | poll_fd_readwrite.
            (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 4) (i32.const 0)
              (i64.const 0x8000042) (i64.const 0) (i32.const 0) (i32.const 300))
            (i64.store (i32.const 0) (i64.const 7))
            (i32.store8 (i32.const 8) (i32.const 1))
            (i32.store (i32.const 16) (i32.load (i32.const 300)))
            (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))
            (i32.load (i32.const 128))
            (i64.load (i32.const 64))
            (i32.load16_u (i32.const 72))
            (i32.load8_u (i32.const 74))))
        """;

    [Fact]
    public void AFileWhoseSizeTheHostCannotTellIsReportedAsAnErrorOfItsEvent()
    {
        using var directory = new TemporaryDirectory();
        Assert.Equal(0, MakeFifo(Path.Combine(directory.Path, "fifo"), 0b110_000_000));
        var linker = new Linker();
        using var wasi = linker.DefineWasi(new WasiConfiguration().PreopenDirectory(directory.Path, "/data"));
        using var instance = linker.Instantiate(TestModule.Compile(PollFifo));

        // A FIFO cannot seek, so the host cannot measure what is left to read: the subscription's
        // event carries the error (58, notsup) and the poll itself succeeds.
        Assert.Equal(
            [Value.FromI32(0), Value.FromI32(0), Value.FromI32(1), Value.FromI64(7), Value.FromI32(58), Value.FromI32(1)],
            instance.GetFunction("poll")!.Invoke());
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);
}
