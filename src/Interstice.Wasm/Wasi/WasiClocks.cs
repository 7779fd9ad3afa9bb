using System.Diagnostics;

namespace Interstice.Wasm.Wasi;

/// <summary>
/// Where a WASI program's time comes from (<c>clock_time_get</c>, <c>clock_res_get</c>) and how
/// it sleeps (<c>poll_oneoff</c> clock subscriptions). <see cref="System"/> uses the machine's
/// clocks; derive from this class to give a program deterministic time, e.g. a clock that a
/// sleep advances instead of waiting.
/// </summary>
public class WasiClocks
{
    private static readonly long TicksPerSecond = Stopwatch.Frequency;

    /// <summary>The machine's clocks.</summary>
    public static WasiClocks System { get; } = new();

    /// <summary>The current time of <paramref name="clock"/> in nanoseconds.</summary>
    public virtual long Now(WasiClock clock) => clock switch
    {
        WasiClock.Realtime => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
        WasiClock.Monotonic => (long)((Int128)Stopwatch.GetTimestamp() * 1_000_000_000 / TicksPerSecond),
        WasiClock.ProcessCpuTime => Environment.CpuUsage.TotalTime.Ticks * 100,
        WasiClock.ThreadCpuTime => ThreadCpuTime.Nanoseconds(),
        _ => throw new ArgumentOutOfRangeException(nameof(clock), clock, "not a WASI clock"),
    };

    /// <summary>The resolution of <paramref name="clock"/> in nanoseconds.</summary>
    public virtual long Resolution(WasiClock clock) => clock switch
    {
        WasiClock.Realtime => 100,
        WasiClock.Monotonic => Math.Max(1, 1_000_000_000 / TicksPerSecond),
        WasiClock.ProcessCpuTime => 1_000,
        WasiClock.ThreadCpuTime => ThreadCpuTime.ResolutionNanoseconds,
        _ => throw new ArgumentOutOfRangeException(nameof(clock), clock, "not a WASI clock"),
    };

    /// <summary>
    /// Blocks for <paramref name="nanoseconds"/>, or until <paramref name="cancellation"/> is
    /// cancelled (then returns early; the caller notices).
    /// </summary>
    public virtual void Sleep(long nanoseconds, CancellationToken cancellation)
    {
        if (nanoseconds <= 0) return;
        var duration = TimeSpan.FromTicks(Math.Min(nanoseconds / 100, (long)int.MaxValue * TimeSpan.TicksPerMillisecond));
        if (cancellation.CanBeCanceled) cancellation.WaitHandle.WaitOne(duration);
        else Thread.Sleep(duration);
    }
}
