using Interstice.Core.Durability;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// An unload or a removal is one transaction on <c>interstice.modules</c> (a removal then drops
/// the tables): memory changes once that transaction stands, so a fault that refuses it leaves
/// the module as it was, and one that comes after the log accepted it leaves the module as a
/// restart has it. Either way memory and a restart agree.
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
