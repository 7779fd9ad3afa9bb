using Interstice.Core.Durability.IO;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// Sees the commit log's file operations in order (the real file code runs): counts writes and
/// fsyncs, can hold an fsync back until released, and can make fsyncs fail as a disk would.
/// </summary>
internal sealed class RecordingHooks : LogFileHooks
{
    private readonly object _sync = new();
    private readonly ManualResetEventSlim _syncGate = new(initialState: true);
    private readonly ManualResetEventSlim _writeGate = new(initialState: true);
    private int _writes;
    private int _syncs;
    private int _syncsStarted;

    public List<string> Events { get; } = [];

    /// <summary>A copy of <see cref="Events"/>, taken while no event is being added.</summary>
    public List<string> EventsSoFar()
    {
        lock (_sync) return [.. Events];
    }

    public int Writes => Volatile.Read(ref _writes);

    public int Syncs => Volatile.Read(ref _syncs);

    public int SyncsStarted => Volatile.Read(ref _syncsStarted);

    /// <summary>When set, every fsync throws this instead of running.</summary>
    public Exception? SyncFailure { get; set; }

    /// <summary>When positive, every fsync first sleeps this long (a slow disk), so that appends pile up.</summary>
    public int SyncDelayMilliseconds { get; set; }

    /// <summary>Holds every fsync back (before it runs) until <see cref="ReleaseSyncs"/>.</summary>
    public void HoldSyncs() => _syncGate.Reset();

    public void ReleaseSyncs() => _syncGate.Set();

    /// <summary>Holds every write back (once counted in <see cref="Writes"/>, before it runs) until <see cref="ReleaseWrites"/>.</summary>
    public void HoldWrites() => _writeGate.Reset();

    public void ReleaseWrites() => _writeGate.Set();

    public override void BeforeWrite(string path, long offset, int count)
    {
        lock (_sync) Events.Add($"write {Path.GetFileName(path)} {offset} {count}");
        Interlocked.Increment(ref _writes);
        _writeGate.Wait();
    }

    public override void BeforeSync(string path)
    {
        Interlocked.Increment(ref _syncsStarted);
        _syncGate.Wait();
        if (SyncFailure is { } failure) throw failure;
        if (SyncDelayMilliseconds > 0) Thread.Sleep(SyncDelayMilliseconds);
    }

    public override void AfterSync(string path)
    {
        lock (_sync) Events.Add($"sync {Path.GetFileName(path)}");
        Interlocked.Increment(ref _syncs);
    }
}
