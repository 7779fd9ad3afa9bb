using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// The caller-led flush of a log opened for the node's executor
/// (<see cref="CommitLog.FlushWhenWaitedFor"/>, policy Sync): a caller that waits while the
/// writer is idle writes and fsyncs its commit on its own thread, and is acknowledged only
/// after that fsync; anything that arrives meanwhile goes to the writer's next flush. Observed
/// through the log's file hooks (the real files are written and fsynced).
/// </summary>
public class CallerFlushTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();
    private readonly RecordingHooks _hooks = new();
    private readonly List<(string Message, int Thread)> _warnings = [];
    private readonly List<IDisposable> _opened = [];
    private ulong _nextId;

    public void Dispose()
    {
        // Closing waits for a held fsync: release them first, even when an assertion failed.
        _hooks.ReleaseSyncs();
        foreach (var opened in _opened)
        {
            try
            {
                opened.Dispose();
            }
            catch (CommitLogFailedException)
            {
                // A test's failed log; what the test checked is already decided.
            }
        }
        _directory.Dispose();
    }

    private CommitLog Open(int maxPending = 64 << 20)
    {
        var log = CommitLog.Open(new DurabilityOptions(_directory.Path)
        {
            Policy = DurabilityPolicy.Sync,
            MaxPendingBytes = maxPending,
            Hooks = _hooks,
            Warning = message =>
            {
                lock (_warnings) _warnings.Add((message, Environment.CurrentManagedThreadId));
            },
        });
        log.FlushWhenWaitedFor();
        _opened.Add(log);
        return log;
    }

    private LogTicket Append(CommitLog log)
    {
        lock (this) return log.AppendEvent(new ModuleLoadedRecord(++_nextId, 0, "m" + _nextId, new byte[32], new byte[40]));
    }

    /// <summary>
    /// The first record starts the log's first segment, which the writer creates; the tests
    /// start from a log whose segment exists and whose writer went back to sleep.
    /// </summary>
    private void StartSegment(CommitLog log)
    {
        Append(log).Wait();
        WaitUntil(() => log.IsWriterIdle, "the writer to go idle");
    }

    /// <summary>Runs <paramref name="wait"/> on a thread of its own; returns the thread's managed id and the wait's task.</summary>
    private static (int Thread, Task Done) OnThread(Action wait)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                wait();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true };
        thread.Start();
        return (thread.ManagedThreadId, done.Task);
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"gave up waiting for {what}");
            Thread.Sleep(1);
        }
    }

    [Fact]
    public async Task A_lone_caller_writes_and_fsyncs_its_commit_on_its_own_thread_and_is_acknowledged_only_after_the_fsync()
    {
        var log = Open();
        StartSegment(log);
        var ticket = Append(log);
        await Task.Delay(50);
        int writes = _hooks.Writes;
        int syncs = _hooks.SyncsStarted;
        Assert.False(ticket.IsAcknowledged);

        _hooks.HoldSyncs();
        var (caller, waited) = OnThread(ticket.Wait);
        WaitUntil(() => _hooks.SyncsStarted > syncs, "the caller's fsync");
        Assert.Equal(caller, _hooks.SyncThreads()[^1]);
        Assert.Equal(writes + 1, _hooks.Writes);
        await Task.Delay(50);
        Assert.False(ticket.IsAcknowledged);
        Assert.False(waited.IsCompleted);

        _hooks.ReleaseSyncs();
        await waited.WaitAsync(Patience);
        Assert.True(ticket.IsAcknowledged);
        var events = _hooks.EventsSoFar();
        Assert.StartsWith("write", events[^2]);
        Assert.StartsWith("sync", events[^1]);
    }

    [Fact]
    public void A_failed_fsync_on_the_callers_thread_fails_the_log_as_the_writers_does()
    {
        var log = Open();
        StartSegment(log);
        var ticket = Append(log);
        _hooks.SyncFailure = new IOException("simulated: no space left on device");

        var error = Assert.Throws<CommitLogFailedException>(ticket.Wait);
        Assert.Equal(Environment.CurrentManagedThreadId, _hooks.SyncThreads()[^1]);
        Assert.Contains("no space left on device", error.Message);
        Assert.Contains(_directory.Path, error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.False(ticket.IsAcknowledged);
        Assert.Same(error, log.Failure);
        // Reported, as the writer's own failure is, from the writer thread (which a Warning callback may not close).
        WaitUntil(() =>
        {
            lock (_warnings) return _warnings.Count > 0;
        }, "the failure's warning");
        lock (_warnings)
        {
            var warning = Assert.Single(_warnings);
            Assert.Equal(error.Message, warning.Message);
            Assert.NotEqual(Environment.CurrentManagedThreadId, warning.Thread);
        }
        Assert.Throws<CommitLogFailedException>(() => Append(log));
        Assert.Throws<CommitLogFailedException>(log.Flush);
        Assert.Throws<CommitLogFailedException>(ticket.Wait);
        // As after the writer's failure under Sync: every waiter was told, closing does not throw it again.
        log.Dispose();
    }

    [Fact]
    public async Task A_caller_arriving_during_a_callers_flush_is_acknowledged_only_after_its_own_records_fsync()
    {
        var log = Open();
        StartSegment(log);
        int syncs = _hooks.SyncsStarted;
        _hooks.HoldSyncs();
        var first = Append(log);
        var (leader, firstWaited) = OnThread(first.Wait);
        WaitUntil(() => _hooks.SyncsStarted > syncs, "the first caller's fsync");
        Assert.Equal(leader, _hooks.SyncThreads()[^1]);

        var second = Append(log);
        var (_, secondWaited) = OnThread(second.Wait);
        await Task.Delay(50);
        Assert.False(first.IsAcknowledged);
        Assert.False(second.IsAcknowledged);

        // The first fsync returns (it began before the second record was written); the next is held.
        _hooks.HoldSyncsAfter(syncs + 1);
        _hooks.LetHeldSyncsThrough();
        await firstWaited.WaitAsync(Patience);
        WaitUntil(() => _hooks.SyncsStarted > syncs + 1, "the second record's fsync");
        await Task.Delay(50);
        Assert.False(second.IsAcknowledged);
        Assert.False(secondWaited.IsCompleted);
        var events = _hooks.EventsSoFar();
        Assert.StartsWith("write", events[^1]);
        Assert.StartsWith("sync", events[^2]);

        _hooks.ReleaseSyncs();
        await secondWaited.WaitAsync(Patience);
        Assert.True(second.IsAcknowledged);
        Assert.StartsWith("sync", _hooks.EventsSoFar()[^1]);
        Assert.Equal(3, LogReader.Read(_directory.Path).Count());
    }

    [Fact]
    public async Task A_lone_callers_reducer_call_on_a_node_is_flushed_on_its_own_thread_before_it_returns()
    {
        var node = new TestNode(o => o with
        {
            Durability = new DurabilityOptions(_directory.Path)
            {
                Policy = DurabilityPolicy.Sync, SnapshotEveryRecords = 0, SnapshotEveryBytes = 0, Hooks = _hooks,
            },
        }, "bank");
        _opened.Add(node);
        int early = 0;
        var (caller, called) = OnThread(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                int syncsBefore = _hooks.SyncsStarted;
                node.Node.CallReducerJson("bank", "open", $$"""["user{{i}}"]""");
                if (_hooks.Syncs <= syncsBefore) early++;
            }
        });
        await called.WaitAsync(Patience);
        Assert.Equal(0, early);
        // The writer may still be finishing the previous flush when a call comes: not every call
        // finds it idle, but a lone caller back to back mostly does.
        Assert.Contains(caller, _hooks.SyncThreads());
        Assert.Equal(20, node.Rows("bank", "accounts").Count);
    }

    [Fact]
    public void Under_sync_concurrent_callers_share_fsyncs_and_none_is_acknowledged_early()
    {
        var log = Open();
        _hooks.SyncDelayMilliseconds = 5;
        const int writers = 16, perWriter = 40;
        var early = 0;
        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                int startedBefore = _hooks.SyncsStarted;
                var ticket = Append(log);
                ticket.Wait();
                if (_hooks.Syncs < startedBefore + 1) Interlocked.Increment(ref early);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, early);
        int records = writers * perWriter;
        Assert.True(_hooks.Syncs < records / 2, $"{_hooks.Syncs} fsyncs for {records} records: commits did not share fsyncs");
        Assert.Equal(records, LogReader.Read(_directory.Path).Count());
    }

    [Fact]
    public async Task Records_nobody_waits_for_are_written_when_the_buffer_fills_and_when_the_log_closes()
    {
        var log = Open(maxPending: 4096);
        // Appending waits for room once 4096 bytes are pending: the writer must be asked to write them.
        await Task.Run(() =>
        {
            for (int i = 0; i < 200; i++) Append(log);
        }).WaitAsync(Patience);
        Assert.True(_hooks.Writes >= 1, "a full buffer should have been handed to the writer");
        log.Dispose();
        Assert.Equal(200, LogReader.Read(_directory.Path).Count());
    }

    [Fact]
    public async Task Closing_waits_for_a_callers_flush_in_progress_then_writes_what_is_pending()
    {
        var log = Open();
        StartSegment(log);
        int syncs = _hooks.SyncsStarted;
        _hooks.HoldSyncs();
        var (_, waited) = OnThread(Append(log).Wait);
        WaitUntil(() => _hooks.SyncsStarted > syncs, "the caller's fsync");
        var pending = Append(log);
        var closed = Task.Run(log.Dispose);
        await Task.Delay(50);
        Assert.False(closed.IsCompleted);

        _hooks.ReleaseSyncs();
        await waited.WaitAsync(Patience);
        await closed.WaitAsync(Patience);
        Assert.True(pending.IsAcknowledged);
        Assert.Equal(3, LogReader.Read(_directory.Path).Count());
    }
}
