using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A call and the subscription handlers it triggers are records of their own (each handler call
/// is a transaction), so a crash may cut the cascade between any two of them. The call's
/// transaction records each handler it queues in <c>interstice.pending_handlers</c>, and each
/// handler's transaction deletes its row: for every cut, a restart comes back to the state
/// before the call when none of its records is kept, and otherwise to the state after the whole
/// cascade (the start runs what was left owed, in order, with what that triggers); a second
/// restart runs nothing again.
/// </summary>
public class CascadeCutTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// "greetings": rogue asks caller to greet two names through hello; each greeting runs
    /// caller's handler (it writes a row) and rogue's two (they only log). "echo": rogue's echo
    /// whose handler inserts an echo again, three levels deep.
    /// </summary>
    [Theory]
    [InlineData("greetings")]
    [InlineData("echo")]
    public void Every_cut_of_a_call_and_its_cascade_restarts_to_none_of_it_or_all_of_it(string operation)
    {
        string directory = _temp.Combine("node");
        string before, after;
        int from, to;
        using (var node = Start(directory))
        {
            Prepare(node);
            before = State(node);
            from = LogFiles.Records(directory).Count;
            Run(node, operation);
            after = State(node);
            to = LogFiles.Records(directory).Count;
            Assert.Equal(0, PendingRows(node));
        }
        // greetings: the call, then 2 x 3 handler calls; echo: the call, then 3 levels.
        Assert.Equal(operation == "greetings" ? 7 : 4, to - from);
        foreach (var (kept, cut) in LogFiles.CutsAfterEachRecord(directory, from, to, _temp.Path))
        {
            string expected = kept == from ? before : after;
            string where = $"{operation} cut after {kept - from} of its {to - from} records";
            for (int start = 1; start <= 2; start++)
            {
                using var node = Start(cut);
                string state = State(node);
                Assert.True(state == expected, $"{where}, start {start}: the restart gives\n{state}\nnot\n{expected}");
                Assert.Equal(0, PendingRows(node));
            }
            var report = LogVerifier.Verify(cut);
            Assert.True(report.IsHealthy, $"{where}: verify: {report.Corruption?.Reason ?? report.CoverageProblem ?? report.Restore?.Failure}");
        }
    }

    /// <summary>
    /// A fault stops the cascade after its first handler (the commit sink fails on it, once the
    /// log has it), with a snapshot taken after every record, so one is cut in the middle of the
    /// cascade: two starts from there give the state after the whole cascade, once.
    /// </summary>
    [Theory]
    [InlineData("greetings")]
    [InlineData("echo")]
    public void A_cascade_a_fault_stops_midway_finishes_at_the_next_start_also_from_a_snapshot_cut_midway(string operation)
    {
        string after;
        using (var node = Start(_temp.Combine("reference")))
        {
            Prepare(node);
            Run(node, operation);
            after = State(node);
        }
        string directory = _temp.Combine("node");
        using (var node = Start(directory, snapshotEveryRecord: true))
        {
            Prepare(node);
        }
        using (var node = Start(directory, snapshotEveryRecord: true, new SinkFailingOn(CommitKind.Subscription)))
        {
            Assert.Throws<NodeFaultedException>(() => Run(node, operation));
            Assert.True(PendingRows(node) > 0);
        }
        for (int start = 1; start <= 2; start++)
        {
            using var node = Start(directory, snapshotEveryRecord: true);
            Assert.NotNull(node.Recovery!.Snapshot);
            Assert.Equal(0, PendingRows(node));
            Assert.Equal(after, State(node));
        }
        var report = LogVerifier.Verify(directory);
        Assert.True(report.IsHealthy, $"verify: {report.Corruption?.Reason ?? report.CoverageProblem ?? report.Restore?.Failure}");
    }

    private static void Prepare(Node node)
    {
        foreach (string module in new[] { "hello", "caller", "rogue" }) node.LoadModule(ExampleModules.Load(module));
        node.CallReducerJson("hello", "hello", """["cy", "Grumpy"]""");
    }

    private static void Run(Node node, string operation)
    {
        if (operation == "greetings") node.CallReducerJson("rogue", "poke_batches", """[[["ann", "bo"]]]""");
        else node.CallReducerJson("rogue", "echo", "[]");
    }

    private static Node Start(string directory, bool snapshotEveryRecord = false, ICommitSink? sink = null) => new(new NodeOptions
    {
        Durability = CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync) with { SnapshotEveryRecords = snapshotEveryRecord ? 1 : 0 },
        MaxSubscriptionDepth = 3,
        CommitSink = sink ?? CommitSinks.Discard,
        // Reducers draw randomness from their transaction's id and time: a clock that stands
        // still lets two directories that ran the same calls hold the same rows.
        TimeProvider = new ManualClock(),
    });

    private static int PendingRows(Node node)
    {
        Assert.True(node.Database.TryGetTable("interstice", "pending_handlers", out var table));
        using var read = node.Database.BeginReadOnly();
        return (int)read.Count(table);
    }

    /// <summary>The loaded modules and every table's contents.</summary>
    private static string State(Node node) =>
        string.Join(",", node.Modules.Select(m => m.Name)) + "\n" + DatabaseDump.Of(node.Database);
}
