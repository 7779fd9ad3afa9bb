namespace Interstice.Core.Durability.Log;

/// <summary>
/// A record's place in the log's acknowledgement order, returned by every append. The record
/// is acknowledged when it is as durable as the log's <see cref="DurabilityPolicy"/> promises
/// (fsynced under <see cref="DurabilityPolicy.Sync"/>, written otherwise); acknowledgements
/// come in log order. A ticket is a small value: keeping or waiting on one allocates nothing
/// (an asynchronous wait that must suspend uses a pooled waiter). The default ticket is
/// already acknowledged.
/// </summary>
public readonly struct LogTicket
{
    private readonly CommitLog? _log;

    internal LogTicket(CommitLog log, long sequence)
    {
        _log = log;
        Sequence = sequence;
    }

    /// <summary>The record's number among those appended since the log was opened (from 1).</summary>
    public long Sequence { get; }

    public bool IsAcknowledged => _log == null || _log.IsAcknowledged(Sequence);

    /// <summary>
    /// Blocks until the record is acknowledged. Throws <see cref="CommitLogFailedException"/>
    /// when the log failed to write or sync it: the transaction may or may not survive a crash.
    /// </summary>
    public void Wait() => _log?.Wait(Sequence);

    /// <summary>
    /// Releases <paramref name="waiter"/> once the record is acknowledged, or the log failed (the
    /// woken thread then learns which from <see cref="Wait"/>): hands a blocked caller straight to
    /// the log's writer, so that it wakes once, when its record is durable.
    /// </summary>
    internal void ReleaseWhenAcknowledged(BlockedWaiter waiter)
    {
        if (_log == null) waiter.Release();
        else _log.ReleaseWhenAcknowledged(waiter, Sequence);
    }

    /// <summary>Completes when the record is acknowledged (or faults as <see cref="Wait"/> throws).</summary>
    public ValueTask WaitAsync() => _log?.WaitAsync(Sequence) ?? ValueTask.CompletedTask;
}
