using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A module operation writes several records (a first load: its tables' creation, then its row
/// in <c>interstice.modules</c> with its <c>init</c> handler's effects; a removal: the row's
/// deletion, the tables' drop). A crash keeps a prefix of the log, so it may cut an operation
/// between any two of its records: for every such cut, a restart must give the state before the
/// operation or the state after it, from a directory that verifies clean. The crash test
/// (<see cref="NodeCrashTests"/>) kills a real process in these windows at random; this cuts
/// each of them on purpose.
/// </summary>
public class ModuleOperationCutTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("load again")]
    [InlineData("unload")]
    [InlineData("remove loaded")]
    [InlineData("remove kept")]
    public void Every_cut_of_the_operation_restarts_to_before_or_after_it(string operation) => CheckEveryCut(operation);

    /// <summary>
    /// A first load is two records: its tables' creation, then its row in
    /// <c>interstice.modules</c> made in its <c>init</c> handler's transaction; no cut leaves the
    /// module recorded without init's effects.
    /// </summary>
    [Fact]
    public void Every_cut_of_a_first_load_restarts_to_before_or_after_it() => CheckEveryCut("first load");

    /// <summary>
    /// Runs <paramref name="operation"/> on a node, then restarts copies of its directory cut
    /// after each of the operation's records (none to all); each must give the state before or
    /// after the operation.
    /// </summary>
    private void CheckEveryCut(string operation)
    {
        string directory = _temp.Combine("node");
        var options = CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync);
        byte[] hello = ExampleModules.Load("hello");
        string before, after;
        int from, to;
        using (var node = new Node(new NodeOptions { Durability = options }))
        {
            if (operation != "first load")
            {
                node.LoadModule(hello);
                node.CallReducerJson("hello", "hello", """["ann", "Grumpy"]""");
            }
            if (operation is "load again" or "remove kept") node.UnloadModule("hello");
            before = State(node);
            from = LogFiles.Records(directory).Count;
            switch (operation)
            {
                case "first load" or "load again":
                    node.LoadModule(hello);
                    break;
                case "unload":
                    node.UnloadModule("hello");
                    break;
                default:
                    node.RemoveModule("hello");
                    break;
            }
            after = State(node);
            to = LogFiles.Records(directory).Count;
        }
        Assert.NotEqual(before, after);
        // A first load (tables' creation, then its row with init's effects) and a removal (row
        // deleted, then tables dropped) span two records: a cut between them is what is tested.
        int spans = operation is "load again" or "unload" ? 1 : 2;
        Assert.True(to - from == spans, $"{operation} wrote {to - from} records, expected {spans}");
        foreach (var (kept, cut) in LogFiles.CutsAfterEachRecord(directory, from, to, _temp.Path))
        {
            using (var node = new Node(new NodeOptions { Durability = CommitPathHarness.DefaultOptions(cut, DurabilityPolicy.Sync) }))
            {
                string state = State(node);
                Assert.True(state == before || state == after,
                    $"{operation} cut after {kept - from} of its {to - from} records: the restart gives\n{state}\nneither the state before it\n{before}\nnor after it\n{after}");
            }
            var report = LogVerifier.Verify(cut);
            Assert.True(report.IsHealthy, $"{operation} cut after {kept - from} of its {to - from} records: verify: {report.Corruption?.Reason ?? report.CoverageProblem ?? report.Restore?.Failure}");
        }
    }

    /// <summary>The loaded modules and every table's contents (the tables of an unloaded module included).</summary>
    private static string State(Node node) =>
        string.Join(",", node.Modules.Select(m => m.Name)) + "\n" + DatabaseDump.Of(node.Database);
}
