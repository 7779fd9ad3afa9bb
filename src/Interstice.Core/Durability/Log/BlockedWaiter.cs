namespace Interstice.Core.Durability.Log;

/// <summary>
/// A thread blocked until the log acknowledges a ticket, woken on its own by the writer once an
/// acknowledgement covers its ticket (or the log fails). Waking only the covered threads, each
/// on its own monitor, spares the others a wake-up and spares all of them a queue for one shared
/// lock just to learn whether they may go (on two cores those context switches were a large
/// share of a synchronous commit's cost). <see cref="CommitLog"/>'s own wait uses one per thread
/// (<see cref="ForCurrentThread"/>: a thread blocked there runs nothing else); a call waiting in
/// the executor's line has its own, since its thread may serve the line meanwhile.
/// </summary>
internal sealed class BlockedWaiter
{
    [ThreadStatic]
    private static BlockedWaiter? t_current;

    private bool _released;

    /// <summary>The calling thread's waiter for <see cref="CommitLog"/>'s wait (and nothing else).</summary>
    public static BlockedWaiter ForCurrentThread() => t_current ??= new BlockedWaiter();

    /// <summary>The ticket waited for (set by the log when it takes the waiter).</summary>
    public long Sequence { get; set; }

    /// <summary>Arms the waiter, before it is handed to whoever will release it.</summary>
    public void Prepare() => Volatile.Write(ref _released, false);

    /// <summary>Blocks the calling thread until <see cref="Release"/>.</summary>
    public void Block()
    {
        lock (this)
        {
            while (!_released) Monitor.Wait(this);
        }
    }

    /// <summary>Wakes the blocked thread (the writer calls it once the ticket is acknowledged or the log failed).</summary>
    public void Release()
    {
        lock (this)
        {
            _released = true;
            Monitor.Pulse(this);
        }
    }
}
