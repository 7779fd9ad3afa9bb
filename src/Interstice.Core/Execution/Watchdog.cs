namespace Interstice.Core.Execution;

/// <summary>
/// Enforces the node's deadline per call (<see cref="NodeOptions.CallDeadline"/>) with one timer
/// for the whole node instead of one per call: it looks at every registered call scope a few
/// times per deadline and interrupts the instances of a call tree that has run too long. A call
/// therefore only writes its deadline when it starts and clears it when it ends; it may overrun by
/// up to one tick (a tenth of the deadline, at most 100 ms).
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Timer? _timer;
    private CallScope[] _scopes = [];

    public Watchdog(TimeSpan? deadline)
    {
        if (deadline is not { } limit) return;
        var period = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 10, TimeSpan.TicksPerMillisecond, 100 * TimeSpan.TicksPerMillisecond));
        _timer = new Timer(_ => Tick(), null, period, period);
    }

    /// <summary>Watches <paramref name="scope"/> from now on (scopes are long-lived: the executor's, and pooled query scopes).</summary>
    public void Register(CallScope scope)
    {
        lock (_lock) _scopes = [.. _scopes, scope];
    }

    public void Dispose() => _timer?.Dispose();

    private void Tick()
    {
        long now = Environment.TickCount64;
        foreach (var scope in Volatile.Read(ref _scopes)) scope.InterruptIfLate(now);
    }
}
