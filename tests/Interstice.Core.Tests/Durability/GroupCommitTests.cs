using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Tests.Durability.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// When callers are acknowledged under each policy, observed through the log's file hooks
/// (the real files are written and fsynced).
/// </summary>
public class GroupCommitTests : IDisposable
{
    /// <summary>How long a test waits for the log's writer to reach a point before it gives up.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();
    private readonly RecordingHooks _hooks = new();
    private ulong _nextId;

    public void Dispose()
    {
        _hooks.ReleaseSyncs();
        _hooks.ReleaseWrites();
        _directory.Dispose();
    }

    private CommitLog Open(DurabilityPolicy policy, TimeSpan? interval = null, int maxPending = 64 << 20) => CommitLog.Open(new DurabilityOptions(_directory.Path)
    {
        Policy = policy,
        FlushInterval = interval ?? TimeSpan.FromMilliseconds(50),
        MaxPendingBytes = maxPending,
        Hooks = _hooks,
    });

    private LogTicket Append(CommitLog log)
    {
        lock (this) return log.AppendEvent(new ModuleLoadedRecord(++_nextId, 0, "m" + _nextId, new byte[32], new byte[40]));
    }

    [Fact]
    public async Task Under_sync_a_record_is_acknowledged_only_after_an_fsync_that_follows_its_write()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.HoldSyncs();
        var ticket = Append(log);
        Wait.Until(() => _hooks.SyncsStarted >= 1, Patience, "gave up waiting for the writer to reach its fsync");

        Assert.True(_hooks.Writes >= 1);
        await Task.Delay(50);
        Assert.False(ticket.IsAcknowledged);
        var waiter = Task.Run(ticket.Wait);
        await Task.Delay(50);
        Assert.False(waiter.IsCompleted);

        _hooks.ReleaseSyncs();
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ticket.IsAcknowledged);
        var events = _hooks.EventsSoFar();
        int lastWrite = events.FindLastIndex(e => e.StartsWith("write"));
        int firstSync = events.FindIndex(e => e.StartsWith("sync"));
        Assert.True(lastWrite >= 0 && lastWrite < firstSync, string.Join(", ", events));
    }

    [Fact]
    public void Under_sync_concurrent_commits_share_fsyncs_and_none_is_acknowledged_early()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.SyncDelayMilliseconds = 5;
        const int writers = 16, perWriter = 40;
        var early = 0;
        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                // Fsyncs run one after another; those started before the append cannot cover the
                // record, so the acknowledgement must come after at least one more has finished.
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
    public void Under_sync_nothing_appended_while_the_disk_is_stalled_is_acknowledged_until_it_is_synced()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.HoldSyncs();
        var tickets = new List<LogTicket>();
        for (int i = 0; i < 5; i++) tickets.Add(Append(log));
        Wait.Until(() => _hooks.SyncsStarted >= 1, Patience, "gave up waiting for the first fsync");
        // More records arrive while the first fsync is stuck: they form the next batch.
        for (int i = 0; i < 20; i++) tickets.Add(Append(log));
        Thread.Sleep(50);
        Assert.All(tickets, t => Assert.False(t.IsAcknowledged));

        _hooks.ReleaseSyncs();
        foreach (var ticket in tickets) ticket.Wait();
        Assert.True(_hooks.Syncs <= 3, $"{_hooks.Syncs} fsyncs for two batches");
    }

    [Fact]
    public async Task An_asynchronous_wait_completes_after_the_fsync()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.HoldSyncs();
        var ticket = Append(log);
        var wait = ticket.WaitAsync().AsTask();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        _hooks.ReleaseSyncs();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(ticket.IsAcknowledged);

        // Waiters are pooled: many waits in a row keep working.
        for (int i = 0; i < 100; i++) await Append(log).WaitAsync();
    }

    [Theory]
    [InlineData(DurabilityPolicy.Interval)]
    [InlineData(DurabilityPolicy.None)]
    public async Task When_acknowledging_on_write_a_record_is_acknowledged_only_once_its_write_returned(DurabilityPolicy policy)
    {
        using var log = Open(policy);
        _hooks.HoldWrites();
        try
        {
            var ticket = Append(log);
            Wait.Until(() => _hooks.Writes >= 1, Patience, "gave up waiting for the writer to reach its write");
            var waiter = Task.Run(ticket.Wait);
            await Task.Delay(50);
            Assert.False(ticket.IsAcknowledged);
            Assert.False(waiter.IsCompleted);

            _hooks.ReleaseWrites();
            await waiter.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(ticket.IsAcknowledged);
        }
        finally
        {
            // Closing the log waits for its writer, held at the write until released.
            _hooks.ReleaseWrites();
        }
    }

    [Fact]
    public void Under_interval_records_are_acknowledged_once_written_and_fsynced_within_the_interval()
    {
        using var log = Open(DurabilityPolicy.Interval, TimeSpan.FromMilliseconds(100));
        _hooks.HoldSyncs();
        var ticket = Append(log);
        ticket.Wait();
        Assert.Equal(0, _hooks.Syncs);

        Wait.Until(() => _hooks.SyncsStarted >= 1, Patience, "gave up waiting for the interval's fsync");
        _hooks.ReleaseSyncs();
        Wait.Until(() => _hooks.Syncs >= 1, Patience, "gave up waiting for the interval's fsync to finish");

        // Idle: no more fsyncs without new records.
        int syncs = _hooks.Syncs;
        Thread.Sleep(300);
        Assert.Equal(syncs, _hooks.Syncs);
    }

    [Fact]
    public void Under_none_records_are_acknowledged_once_written_and_fsynced_only_when_the_log_closes()
    {
        var log = Open(DurabilityPolicy.None);
        for (int i = 0; i < 10; i++) Append(log).Wait();
        Thread.Sleep(100);
        Assert.Equal(0, _hooks.Syncs);
        Assert.True(_hooks.Writes >= 2);
        log.Dispose();
        Assert.Equal(1, _hooks.Syncs);
        Assert.Equal(10, LogReader.Read(_directory.Path).Count());
    }

    [Fact]
    public void Flush_forces_an_fsync_whatever_the_policy()
    {
        using var log = Open(DurabilityPolicy.None);
        Append(log).Wait();
        Assert.Equal(0, _hooks.Syncs);
        log.Flush();
        Assert.Equal(1, _hooks.Syncs);
    }

    [Fact]
    public void A_failed_fsync_fails_the_waiting_callers_and_every_later_append()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.SyncFailure = new IOException("simulated: no space left on device");
        var ticket = Append(log);

        var error = Assert.Throws<CommitLogFailedException>(ticket.Wait);
        Assert.Contains("no space left on device", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.False(ticket.IsAcknowledged);
        Assert.Throws<CommitLogFailedException>(() => Append(log));
        Assert.Throws<CommitLogFailedException>(log.Flush);
    }

    [Theory]
    [InlineData(DurabilityPolicy.None)]
    [InlineData(DurabilityPolicy.Interval)]
    public void Closing_a_log_whose_last_fsync_fails_throws_since_records_acknowledged_on_write_may_be_lost(DurabilityPolicy policy)
    {
        // An interval far away: the fsync that fails is the one closing makes.
        var log = Open(policy, TimeSpan.FromHours(1));
        Append(log).Wait();
        _hooks.SyncFailure = new IOException("simulated I/O error at close");
        var error = Assert.Throws<CommitLogFailedException>(log.Dispose);
        Assert.Contains("simulated I/O error at close", error.Message);
        log.Dispose();
    }

    [Fact]
    public void Closing_a_log_whose_interval_fsync_failed_before_throws_since_what_it_acknowledged_is_not_durable()
    {
        var log = Open(DurabilityPolicy.Interval, TimeSpan.FromMilliseconds(10));
        _hooks.SyncFailure = new IOException("simulated I/O error in the background");
        Append(log).Wait();
        Wait.Until(() => log.Failure != null, Patience, "the interval's fsync never failed");
        var error = Assert.Throws<CommitLogFailedException>(log.Dispose);
        Assert.Contains("simulated I/O error in the background", error.Message);
    }

    [Fact]
    public void Closing_a_log_that_failed_before_does_not_throw_that_failure_again()
    {
        var log = Open(DurabilityPolicy.Sync);
        _hooks.SyncFailure = new IOException("simulated I/O error");
        Assert.Throws<CommitLogFailedException>(Append(log).Wait);
        log.Dispose();
    }

    [Fact]
    public async Task A_failed_fsync_faults_asynchronous_waits()
    {
        using var log = Open(DurabilityPolicy.Sync);
        _hooks.HoldSyncs();
        _hooks.SyncFailure = new IOException("simulated I/O error");
        var wait = Append(log).WaitAsync().AsTask();
        _hooks.ReleaseSyncs();
        await Assert.ThrowsAsync<CommitLogFailedException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Appending_waits_when_too_many_bytes_are_pending_and_resumes_when_the_writer_catches_up()
    {
        using var log = Open(DurabilityPolicy.Sync, maxPending: 4096);
        _hooks.HoldSyncs();
        Append(log);
        Wait.Until(() => _hooks.SyncsStarted >= 1, Patience, "gave up waiting for the writer to stall in fsync");
        var appender = Task.Run(() =>
        {
            for (int i = 0; i < 200; i++) Append(log);
        });
        await Task.Delay(200);
        Assert.False(appender.IsCompleted, "appending should wait while 4096 bytes are pending");
        _hooks.ReleaseSyncs();
        await appender.WaitAsync(TimeSpan.FromSeconds(10));
        log.Flush();
        Assert.Equal(201, LogReader.Read(_directory.Path).Count());
    }
}
