using System.Diagnostics;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Deadlines for calls: one process-wide timer, set for the earliest pending deadline, interrupts
/// the instances whose deadlines have passed. No thread per call.
/// </summary>
internal static class Deadlines
{
    private static readonly PriorityQueue<Deadline, long> s_pending = new();
    private static readonly Lock s_lock = new();
    private static readonly Timer s_timer = new(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
    private static long s_timerDue = long.MaxValue;
    private static int s_cancelled;

    /// <summary>Deadlines in the queue, cancelled ones not yet purged included.</summary>
    public static int QueueLength
    {
        get
        {
            lock (s_lock) return s_pending.Count;
        }
    }

    public static IDisposable Schedule(Instance instance, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        long due = Stopwatch.GetTimestamp() + (long)Math.Min(timeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
        var deadline = new Deadline(instance);
        lock (s_lock)
        {
            s_pending.Enqueue(deadline, due);
            if (due < s_timerDue) ArmTimer(due);
        }
        return deadline;
    }

    private static void Fire()
    {
        List<Deadline>? expired = null;
        lock (s_lock)
        {
            long now = Stopwatch.GetTimestamp();
            s_timerDue = long.MaxValue;
            while (s_pending.TryPeek(out var deadline, out long due))
            {
                if (deadline.State != DeadlineState.Pending)
                {
                    s_pending.Dequeue();
                    if (deadline.State == DeadlineState.Cancelled) s_cancelled--;
                    continue;
                }
                if (due > now)
                {
                    ArmTimer(due);
                    break;
                }
                s_pending.Dequeue();
                deadline.State = DeadlineState.Fired;
                (expired ??= []).Add(deadline);
            }
        }
        if (expired is null) return;
        foreach (var deadline in expired) deadline.Instance.Interrupt();
    }

    /// <summary>Drops cancelled deadlines from the queue, so that short calls with long timeouts do not pile up. Called under the lock.</summary>
    private static void PurgeCancelled()
    {
        var live = new List<(Deadline, long)>(s_pending.Count - s_cancelled);
        foreach (var (deadline, due) in s_pending.UnorderedItems)
            if (deadline.State == DeadlineState.Pending) live.Add((deadline, due));
        s_pending.Clear();
        s_pending.EnqueueRange(live);
        s_cancelled = 0;
    }

    /// <summary>Sets the timer for <paramref name="due"/> (a <see cref="Stopwatch"/> timestamp). Called under the lock.</summary>
    private static void ArmTimer(long due)
    {
        s_timerDue = due;
        long milliseconds = Math.Max(0, (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
        s_timer.Change(Math.Min(milliseconds + 1, int.MaxValue - 1), Timeout.Infinite);
    }

    private enum DeadlineState : byte
    {
        Pending,
        Fired,
        Cancelled,
    }

    private sealed class Deadline(Instance instance) : IDisposable
    {
        public Instance Instance { get; } = instance;
        public DeadlineState State;

        public void Dispose()
        {
            lock (s_lock)
            {
                if (State == DeadlineState.Fired)
                {
                    // The interrupt this deadline requested may not have been consumed by any call.
                    Instance.Context.InterruptRequested = 0;
                }
                else if (State == DeadlineState.Pending)
                {
                    State = DeadlineState.Cancelled;
                    if (++s_cancelled > 1024 && s_cancelled > s_pending.Count / 2) PurgeCancelled();
                    return;
                }
                State = DeadlineState.Cancelled;
            }
        }
    }
}
