using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A durable node answers nothing a crash could take back: a call that commits nothing (it
/// failed, perhaps because of an earlier commit) and a read wait until every commit they could
/// see is as durable as the policy promises; once the log has failed, reads fail too.
/// </summary>
public class DurableAnswerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new();
    private readonly RecordingHooks _hooks = new();

    public void Dispose()
    {
        _hooks.ReleaseSyncs();
        _temp.Dispose();
    }

    private TestNode Start() => new(o => o with
    {
        Durability = CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync) with { Hooks = _hooks },
    }, "bank");

    /// <summary>Opens ann's account on another thread with fsyncs held, and waits until its fsync has begun (so it is applied, not durable).</summary>
    private Task OpenAnnUndurably(TestNode node)
    {
        _hooks.HoldSyncs();
        int before = _hooks.SyncsStarted;
        var open = Task.Run(() => node.Node.CallReducerJson("bank", "open", """["ann"]"""));
        Wait.Until(() => _hooks.SyncsStarted > before, Patience, "the commit's fsync never began");
        return open;
    }

    [Fact]
    public async Task A_call_that_fails_because_of_a_commit_not_yet_durable_is_answered_only_once_it_is()
    {
        using var node = Start();
        try
        {
            var first = OpenAnnUndurably(node);
            var second = Task.Run(() => node.Fails("bank", "open", """["ann"]"""));
            Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(300)));
            _hooks.ReleaseSyncs();
            await first.WaitAsync(Patience);
            Assert.Contains("ann", (await second.WaitAsync(Patience)).Message);
        }
        finally
        {
            // Closing the node waits for the held fsync: release it even when an assertion failed.
            _hooks.ReleaseSyncs();
        }
    }

    [Fact]
    public async Task A_read_of_a_commit_not_yet_durable_is_answered_only_once_it_is()
    {
        using var node = Start();
        try
        {
            var open = OpenAnnUndurably(node);
            var rows = Task.Run(() => node.Rows("bank", "accounts"));
            var query = Task.Run(() => node.Node.RunQueryJson("bank", "available", """["ann"]"""));
            Assert.NotSame(rows, await Task.WhenAny(rows, Task.Delay(300)));
            Assert.False(query.IsCompleted);
            _hooks.ReleaseSyncs();
            await open.WaitAsync(Patience);
            Assert.Single(await rows.WaitAsync(Patience));
            Assert.Equal("0", await query.WaitAsync(Patience));
        }
        finally
        {
            _hooks.ReleaseSyncs();
        }
    }

    [Fact]
    public void After_an_fsync_fails_reads_fail_instead_of_showing_the_transaction_it_did_not_make_durable()
    {
        using var node = Start();
        _hooks.SyncFailure = new IOException("simulated I/O error");
        Assert.ThrowsAny<Exception>(() => node.Node.CallReducerJson("bank", "open", """["bob"]"""));
        var error = Assert.Throws<CommitLogFailedException>(() => node.Rows("bank", "accounts"));
        Assert.Contains("simulated I/O error", error.Message);
        Assert.Throws<CommitLogFailedException>(() => node.Node.RunQueryJson("bank", "available", """["bob"]"""));
        Assert.Throws<CommitLogFailedException>(() => node.Node.ScheduledCalls);
    }
}
