using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// The commit sink watches commits: on a durable node it is handed a transaction only once the
/// commit log has accepted it, so it never holds one the log refused. A sink that fails faults
/// the node (it stops accepting writes, so the sink misses no more), but the transaction it
/// failed on stands: it is applied, and on a durable node logged and recovered by a restart.
/// </summary>
public class CommitSinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_failing_sink_stops_writes_the_transaction_stands_and_reads_go_on()
    {
        var sink = new FailingSink();
        using var t = new TestNode(o => o with { CommitSink = sink }, "hello");
        Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
        sink.Failing = true;
        var error = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
        Assert.StartsWith("the commit sink failed on transaction #", error.Message);
        Assert.Contains("which is committed (applied) but missing from the sink: disk full", error.Message);

        sink.Failing = false;
        var refused = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]"""));
        Assert.StartsWith("the node stopped accepting writes: the commit sink failed", refused.Message);
        Assert.Equal("2", t.Node.RunQueryJson("hello", "count", "[]"));
    }

    [Fact]
    public void A_sink_that_fails_on_a_durable_node_leaves_the_transaction_logged_applied_in_a_snapshot_and_recovered()
    {
        var sink = new FailingSink();
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("failing-sink"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = sink }, "hello"))
        {
            sink.Failing = true;
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
            Assert.Contains("which is committed (logged and applied) but missing from the sink: disk full", error.Message);
            Assert.Equal("2", t.Node.RunQueryJson("hello", "count", "[]"));
            // A snapshot's cut is labelled with the log's last transaction: the database must hold it.
            t.Node.TakeSnapshot();
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal(0, again.Node.Recovery!.RecordsReplayed);
        Assert.Equal("2", again.Node.RunQueryJson("hello", "count", "[]"));
        Assert.Contains(again.Rows("hello", "greetings"), row => row.Contains("Ann", StringComparison.Ordinal));
    }

    /// <summary>
    /// The handlers a transaction's events queue do not run when the sink fails on it (the node
    /// is faulted), but the transaction recorded them as owed: the next start runs them, and
    /// what they trigger (rogue's echo, three levels deep here).
    /// </summary>
    [Fact]
    public void The_handlers_of_a_transaction_the_sink_fails_on_run_at_the_next_start()
    {
        var sink = new FailingSink();
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("handlers"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = sink, MaxSubscriptionDepth = 3 }, "hello", "rogue"))
        {
            sink.Failing = true;
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("rogue", "echo", "[]"));
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal("1", t.Node.RunQueryJson("rogue", "echo_count", "[]"));
        }
        using var again = new TestNode(o => o with { Durability = options, MaxSubscriptionDepth = 3 });
        Assert.Equal("4", again.Node.RunQueryJson("rogue", "echo_count", "[]"));
    }

    /// <summary>
    /// The sink fails on a transaction the log then fails to write: the answer must not say it
    /// is logged, so it waits for the log and reports the log's failure (on the direct path and,
    /// under Sync, on the line's).
    /// </summary>
    [Theory]
    [InlineData(DurabilityPolicy.None)]
    [InlineData(DurabilityPolicy.Sync)]
    public void A_sink_fault_is_answered_only_once_the_log_has_the_transaction(DurabilityPolicy policy)
    {
        var hooks = new RecordingHooks();
        var sink = new FailingSink();
        var options = FailingLogNode.Options(_temp.Combine("sink-then-log-" + policy), hooks) with { Policy = policy };
        var t = new TestNode(o => o with { Durability = options, CommitSink = sink }, "hello");
        try
        {
            hooks.HoldWrites();
            int writes = hooks.Writes;
            sink.Failing = true;
            var ann = Task.Run(() => t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
            Wait.Until(() => hooks.Writes > writes, TimeSpan.FromSeconds(30), "Ann's record was never written");
            hooks.WriteFailure = new IOException("simulated write error");
            hooks.ReleaseWrites();
            var error = Assert.Throws<NodeFaultedException>(() => ann.GetAwaiter().GetResult());
            Assert.StartsWith("the commit log failed on transaction #", error.Message);
            Assert.Contains("(the commit sink had failed on it too: ", error.Message);
            Assert.IsType<CommitLogFailedException>(error.InnerException);
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
    }

    /// <summary>
    /// The log fails (a write error) after a transaction began and before it is appended: the
    /// log refuses it, and the sink must never see it. The clock, read as the transaction
    /// begins, is where the test makes the log fail.
    /// </summary>
    [Fact]
    public void A_transaction_the_commit_log_refuses_never_reaches_the_sink()
    {
        var hooks = new RecordingHooks();
        var clock = new TrippingClock();
        var sink = new MemoryCommitLog();
        var options = FailingLogNode.Options(_temp.Combine("refused"), hooks);
        var t = new TestNode(o => o with { Durability = options, CommitSink = sink, TimeProvider = clock }, "hello");
        bool closed = false;
        try
        {
            hooks.HoldWrites();
            int writes = hooks.Writes;
            var ann = Task.Run(() => t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
            Wait.Until(() => hooks.Writes > writes, TimeSpan.FromSeconds(30), "Ann's record was never written");

            clock.OnNextRead(() =>
            {
                hooks.WriteFailure = new IOException("simulated write error");
                hooks.ReleaseWrites();
                Wait.Until(() => ann.IsCompleted, TimeSpan.FromSeconds(30), "the log's failure never reached Ann's caller");
            });
            var refused = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]"""));
            Assert.IsType<CommitLogFailedException>(refused.InnerException);
            Assert.IsType<CommitLogFailedException>(Assert.ThrowsAny<Exception>(() => ann.GetAwaiter().GetResult()));

            // Ann reached the sink once the log had accepted it, before the log failed to write it
            // (the window docs/node.md names); Bo, which the log refused, never did.
            var call = Assert.Single(sink.Records, r => r.Function == "hello");
            Assert.StartsWith($"the commit log failed on transaction #{call.Sequence + 1}:", refused.Message);

            Assert.Throws<CommitLogFailedException>(t.Dispose);
            closed = true;
        }
        finally
        {
            // The test failed before the log did.
            if (!closed) FailingLogNode.Close(t, hooks);
        }
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { FuelPerCall = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { CallDeadline = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { MaxSubscriptionDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { QueryInstancesPerModule = -1 }));
        Assert.Throws<ArgumentException>(() => new Core.Node(new NodeOptions { NodeName = "not a name" }));
    }

    private sealed class FailingSink : ICommitSink
    {
        public bool Failing { get; set; }

        public void Append(CommitRecord record)
        {
            if (Failing) throw new IOException("disk full");
        }
    }
}
