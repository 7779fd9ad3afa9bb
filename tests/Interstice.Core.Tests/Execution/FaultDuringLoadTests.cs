using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// A module load is several records (its tables' creation, its row in <c>interstice.modules</c>,
/// its <c>init</c> handlers' transactions). When the node faults during one, memory must keep
/// holding exactly what the log has: once the log accepted a record of the load, nothing is
/// undone (a restart recovers it, and a snapshot's cut is labelled with it); a record the log
/// refused never happened, and the load is undone completely.
/// </summary>
public class FaultDuringLoadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The sink fails on the load's own transaction: the load stands, its init never runs (now or after a restart).</summary>
    [Fact]
    public void A_load_whose_transaction_the_sink_fails_on_stays_loaded_as_logged()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("load"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new KindSink(CommitKind.ModuleLoaded) }))
        {
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.Contains("which is committed (logged and applied) but missing from the sink: sink down", error.Message);
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("0", t.Node.RunQueryJson("hello", "count", "[]"));
            t.Node.TakeSnapshot();
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal(0, again.Node.Recovery!.RecordsReplayed);
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("0", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>On a node in memory the load's transaction stands once applied: the module stays loaded.</summary>
    [Fact]
    public void A_load_whose_transaction_the_sink_fails_on_in_memory_stays_loaded()
    {
        using var t = new TestNode(o => o with { CommitSink = new KindSink(CommitKind.ModuleLoaded) });
        var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
        Assert.Contains("which is committed (applied) but missing from the sink: sink down", error.Message);
        Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
        Assert.Equal("0", t.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>The sink fails on an init handler's transaction: the load and that transaction stand.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_load_whose_init_transaction_the_sink_fails_on_stays_loaded_as_logged(bool snapshot)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("init"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new KindSink(CommitKind.Subscription) }))
        {
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.Contains("which is committed (logged and applied) but missing from the sink: sink down", error.Message);
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
            if (snapshot) t.Node.TakeSnapshot();
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal(snapshot ? 0 : 3, again.Node.Recovery!.RecordsReplayed);
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("1", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>
    /// The log fails (a write error on the load's first record) before it accepts the load's
    /// transaction: the caller gets the fault with the log's failure inside, the load is undone
    /// completely, and no snapshot can be taken from memory the failed log may not match.
    /// </summary>
    [Fact]
    public void A_load_whose_transaction_the_log_refuses_is_undone_and_reports_the_fault()
    {
        var hooks = new RecordingHooks();
        int warned = 0;
        var options = FailingLogNode.Options(_temp.Combine("refused"), hooks, _ => Interlocked.Increment(ref warned));
        var clock = new TrippingClock();
        var t = new TestNode(o => o with { Durability = options, TimeProvider = clock });
        hooks.HoldWrites();
        try
        {
            // A load reads the clock for its first record (the tables' creation, an event), then
            // as its transaction begins: the log fails between the two.
            clock.OnNextRead(() =>
            {
                Wait.Until(() => hooks.Writes > 0, TimeSpan.FromSeconds(30), "the load's first record was never written");
                hooks.WriteFailure = new IOException("simulated write error");
                hooks.ReleaseWrites();
                Wait.Until(() => Volatile.Read(ref warned) > 0, TimeSpan.FromSeconds(30), "the log never failed");
            }, skipping: 1);
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.StartsWith("the commit log failed on transaction #", error.Message);
            Assert.IsType<CommitLogFailedException>(error.InnerException);
            Assert.Empty(t.Node.Modules);
            var snapshot = Assert.Throws<NodeFaultedException>(t.Node.TakeSnapshot);
            Assert.StartsWith("no snapshot is taken: the commit log failed", snapshot.Message);
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
    }

    private sealed class KindSink(CommitKind kind) : ICommitSink
    {
        public void Append(CommitRecord record)
        {
            if (record.Kind == kind) throw new IOException("sink down");
        }
    }
}
