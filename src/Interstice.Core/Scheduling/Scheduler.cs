using Interstice.Abi;
using Interstice.Core.Execution;

namespace Interstice.Core.Scheduling;

/// <summary>
/// Runs scheduled reducers when they come due: one timer, set for the earliest pending call of a
/// loaded module, which asks the executor to run every due call (<see cref="Executor.RunDueSchedules"/>).
/// Re-armed whenever a commit changes the schedules and whenever modules are loaded or unloaded.
/// </summary>
internal sealed class Scheduler : IDisposable
{
    /// <summary>Timers cannot wait longer than about 49 days; a later call is waited for in steps.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly Executor _executor;
    private readonly TimeProvider _time;
    private readonly NodeLog _log;
    private readonly ITimer? _timer;
    private int _disposed;

    public Scheduler(Executor executor, NodeOptions options, NodeLog log)
    {
        _executor = executor;
        _time = options.TimeProvider;
        _log = log;
        if (options.RunScheduledReducers)
        {
            _timer = _time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            executor.SchedulesChanged += Arm;
        }
    }

    /// <summary>Sets the timer for the earliest due call (or stops it when there is none).</summary>
    public void Arm()
    {
        if (_timer == null || Volatile.Read(ref _disposed) != 0) return;
        long? due = _executor.EarliestDue();
        if (due is not { } micros)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        long now = Clock.UnixMicroseconds(_time);
        // Capped before it becomes a TimeSpan: a call may be due as late as long.MaxValue (the
        // longest delay a reducer can ask for), further off than a TimeSpan reaches.
        ulong wait = micros <= now ? 0 : (ulong)micros - (ulong)now;
        _timer.Change(wait < (ulong)LongestWait.TotalMicroseconds ? TimeSpan.FromMicroseconds((long)wait) : LongestWait, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _timer?.Dispose();
    }

    private void Fire()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            _executor.RunDueSchedules();
            Arm();
        }
        catch (Exception e)
        {
            _log.Write(LogLevel.Error, null, null, $"running scheduled reducers failed: {e.Message}");
        }
    }
}
