using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// An unload or a removal is one transaction on <c>interstice.modules</c> (a removal then drops
/// the tables): memory changes once that transaction stands, so a fault that refuses it (a
/// faulted node, a log that fails to write it) leaves the module as it was, and one that comes
/// once the log has it (a failing commit sink) leaves the module as a restart has it. Either
/// way memory and a restart agree.
/// </summary>
public class FaultDuringUnloadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A node faulted before (the sink failed on a call) refuses the operation: the module stays loaded, now and after a restart.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_a_faulted_node_the_module_stays_loaded(bool remove)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(remove ? "remove" : "unload"));
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Call) }))
        {
            t.Node.LoadModule(ExampleModules.Load("hello"));
            Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["ann", "Happy"]"""));
            Assert.Throws<NodeFaultedException>(() => Operate(t.Node, remove));
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.Equal("2", t.Node.RunQueryJson("hello", "count", "[]"));
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("2", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    /// <summary>The sink fails on the operation's own transaction, which the log has: it stands, in memory as after a restart.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_operation_whose_transaction_the_sink_fails_on_stands(bool remove)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(remove ? "removed" : "unloaded"));
        var kind = remove ? CommitKind.ModuleRemoved : CommitKind.ModuleUnloaded;
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(kind) }))
        {
            t.Node.LoadModule(ExampleModules.Load("hello"));
            var error = Assert.Throws<NodeFaultedException>(() => Operate(t.Node, remove));
            Assert.Contains("but missing from the sink: sink down", error.Message);
            AssertGone(t.Node, tablesKept: !remove);
        }
        using var again = new TestNode(o => o with { Durability = options });
        AssertGone(again.Node, tablesKept: !remove);
    }

    /// <summary>
    /// The log accepts the operation's record, then fails to write it: the operation is undone
    /// before the caller is answered, the module stays loaded, now and after a restart.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_operation_whose_record_the_log_fails_to_write_leaves_the_module_loaded(bool remove)
    {
        var hooks = new RecordingHooks();
        var options = FailingLogNode.Options(_temp.Combine(remove ? "remove-unwritten" : "unload-unwritten"), hooks, _ => { });
        var t = new TestNode(o => o with { Durability = options });
        try
        {
            t.Node.LoadModule(ExampleModules.Load("hello"));
            hooks.WriteFailure = new IOException("simulated write error");
            var error = Assert.Throws<CommitLogFailedException>(() => Operate(t.Node, remove));
            Assert.Contains("simulated write error", error.ToString());
            // (A read would now wait for the unwritten record and get the log's failure.)
            Assert.Equal("hello", Assert.Single(t.Node.Modules).Name);
            Assert.True(t.Node.Database.TryGetTable("hello", "greetings", out _));
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
        Assert.Equal("hello", Assert.Single(again.Node.Modules).Name);
        Assert.Equal("1", again.Node.RunQueryJson("hello", "count", "[]"));
    }

    private static void Operate(Node node, bool remove)
    {
        if (remove) node.RemoveModule("hello");
        else node.UnloadModule("hello");
    }

    private static void AssertGone(Node node, bool tablesKept)
    {
        Assert.Empty(node.Modules);
        Assert.Equal(tablesKept, node.Database.TryGetTable("hello", "greetings", out _));
    }
}
