namespace Interstice.Core.Tests.Support;

/// <summary>
/// A <see cref="ManualClock"/> that runs an action once, on a read from the thread that armed
/// it: the node reads the clock as a transaction begins, so a test can act at that moment.
/// </summary>
public sealed class TrippingClock : TimeProvider
{
    private readonly ManualClock _clock = new();
    private Action? _next;
    private int _thread;
    private int _skip;

    /// <summary>
    /// Runs <paramref name="action"/> on this thread's read after the next <paramref name="skipping"/>
    /// reads (from this thread) that the node makes first.
    /// </summary>
    public void OnNextRead(Action action, int skipping = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipping);
        _thread = Environment.CurrentManagedThreadId;
        _skip = skipping;
        Volatile.Write(ref _next, action);
    }

    public override DateTimeOffset GetUtcNow()
    {
        if (Environment.CurrentManagedThreadId == _thread && Volatile.Read(ref _next) != null && _skip-- == 0)
            Interlocked.Exchange(ref _next, null)?.Invoke();
        return _clock.GetUtcNow();
    }
}
