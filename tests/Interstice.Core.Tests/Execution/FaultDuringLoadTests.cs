using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// A module load is several records (its tables' creation, its row in <c>interstice.modules</c>,
/// which a first load writes in its first <c>init</c> handler's transaction, the other init
/// handlers' transactions). When the node faults during one, memory must keep
/// holding exactly what the log has: once the log accepted a record of the load, nothing is
/// undone (a restart recovers it, and a snapshot's cut is labelled with it); a record the log
/// refused never happened, and the load is undone completely.
/// </summary>
public class FaultDuringLoadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The sink fails on a load again's transaction (its row in <c>interstice.modules</c>), which
    /// the log has: the load stands, now and after a restart.
    /// </summary>
    [Fact]
    public void A_load_again_whose_transaction_the_sink_fails_on_stays_loaded_as_logged()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("load"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.ModuleLoaded) }))
        {
            t.Node.LoadModule(ExampleModules.Load("hello"));
            t.Node.UnloadModule("hello");
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.Contains("which is committed (logged and applied) but missing from the sink: sink down", error.Message);
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
            t.Node.TakeSnapshot();
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal(0, again.Node.Recovery!.RecordsReplayed);
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("1", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>On a node in memory a load's transaction stands once applied: the module stays loaded.</summary>
    [Fact]
    public void A_load_whose_transaction_the_sink_fails_on_in_memory_stays_loaded()
    {
        using var t = new TestNode(o => o with { CommitSink = new SinkFailingOn(CommitKind.Subscription) });
        var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
        Assert.Contains("which is committed (applied) but missing from the sink: sink down", error.Message);
        Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
        Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>
    /// The sink fails on a first load's record, which its <c>init</c> handler's transaction
    /// makes: the load stands with init's effects, now and after a restart.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_first_load_whose_record_the_sink_fails_on_stays_loaded_with_its_init(bool snapshot)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("init"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Subscription) }))
        {
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.Contains("which is committed (logged and applied) but missing from the sink: sink down", error.Message);
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
            if (snapshot) t.Node.TakeSnapshot();
        }
        using var again = new TestNode(o => o with { Durability = options });
        // The tables' creation, then the record with init's effects.
        Assert.Equal(snapshot ? 0 : 2, again.Node.Recovery!.RecordsReplayed);
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

    /// <summary>
    /// Under <see cref="DurabilityPolicy.Interval"/> the log acknowledges on write: once a first
    /// load's record (with its <c>init</c>) is written, it stands, though its fsync then fails
    /// (the log fails): in memory as after a restart, init's greeting included. The caller is
    /// answered as the policy promises, or with the fault when it was seen first.
    /// </summary>
    [Fact]
    public void A_first_load_acknowledged_before_the_log_fails_stands_with_its_init()
    {
        var hooks = new RecordingHooks();
        int warned = 0;
        var options = IntervalOptions(_temp.Combine("acknowledged"), hooks, () => Interlocked.Increment(ref warned));
        var clock = new TrippingClock();
        var t = new TestNode(o => o with { Durability = options, TimeProvider = clock });
        try
        {
            // The load reads the clock for its tables' creation (an event), then as its record's
            // transaction (init's) begins: once the event is fsynced, the next fsync fails.
            clock.OnNextRead(() =>
            {
                Wait.Until(() => hooks.Syncs > 0, TimeSpan.FromSeconds(30), "the load's first record was never fsynced");
                hooks.SyncFailure = new IOException("simulated fsync error");
            }, skipping: 1);
            try
            {
                t.Node.LoadModule(ExampleModules.Load("hello"));
            }
            catch (NodeFaultedException error)
            {
                Assert.Contains("simulated fsync error", error.ToString());
            }
            Wait.Until(() => Volatile.Read(ref warned) > 0, TimeSpan.FromSeconds(30), "the log never failed");
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("1", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>
    /// The log accepts a load again's record, then fails to write it: the load is undone before
    /// the caller is answered (the module stays unloaded, its tables kept), as a restart has it.
    /// </summary>
    [Fact]
    public void A_load_again_whose_record_the_log_fails_to_write_is_undone()
    {
        var hooks = new RecordingHooks();
        var options = FailingLogNode.Options(_temp.Combine("again-unwritten"), hooks, _ => { });
        var t = new TestNode(o => o with { Durability = options });
        try
        {
            t.Node.LoadModule(ExampleModules.Load("hello"));
            t.Node.UnloadModule("hello");
            hooks.WriteFailure = new IOException("simulated write error");
            var error = Assert.Throws<CommitLogFailedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            Assert.Contains("simulated write error", error.ToString());
            Assert.Empty(t.Node.Modules);
            Assert.True(t.Node.Database.TryGetTable("hello", "greetings", out _));
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
        Assert.Empty(again.Node.Modules);
        Assert.True(again.Node.Database.TryGetTable("hello", "greetings", out _));
    }

    /// <summary>
    /// The log fails after the load's first record (its tables' creation) was written, before its
    /// row in <c>interstice.modules</c>: the row is refused, a restart drops the tables, and the load
    /// is undone in memory too, though the log acknowledged one of its records.
    /// </summary>
    [Fact]
    public void A_load_whose_module_row_the_failed_log_refuses_is_undone()
    {
        var hooks = new RecordingHooks();
        int warned = 0;
        var options = IntervalOptions(_temp.Combine("row-refused"), hooks, () => Interlocked.Increment(ref warned));
        var clock = new TrippingClock();
        var t = new TestNode(o => o with { Durability = options, TimeProvider = clock });
        try
        {
            // The load reads the clock for its tables' creation (an event): the fsync after that
            // record is written fails, before the load's row is appended.
            clock.OnNextRead(() =>
            {
                hooks.SyncFailure = new IOException("simulated fsync error");
                clock.OnNextRead(() => Wait.Until(() => Volatile.Read(ref warned) > 0, TimeSpan.FromSeconds(30), "the log never failed"));
            });
            var error = Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(ExampleModules.Load("hello")));
            // Refused at the append or before the transaction began, depending on when the writer failed.
            Assert.Contains("failed to write or sync (simulated fsync error)", error.Message);
            Assert.Empty(t.Node.Modules);
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
        Assert.Empty(again.Node.Modules);
    }

    /// <summary>Policy Interval with a short interval, so that a written record is fsynced within milliseconds.</summary>
    private static DurabilityOptions IntervalOptions(string directory, RecordingHooks hooks, Action warned) =>
        FailingLogNode.Options(directory, hooks, _ => warned()) with
        {
            Policy = DurabilityPolicy.Interval,
            FlushInterval = TimeSpan.FromMilliseconds(5),
        };
}
