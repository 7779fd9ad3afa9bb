using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Subscriptions;

/// <summary>
/// On a durable node, a transaction that queues subscription handlers records each of them in
/// <c>interstice.pending_handlers</c>, and each handler's transaction deletes its row (also when
/// the handler fails): whatever stops the node between the two (a crash: <c>CascadeCutTests</c>;
/// a fault), the next start runs the handlers still owed. Events of ephemeral tables, and nodes
/// in memory, record nothing. A row the start cannot run is dropped with a warning.
/// </summary>
public class PendingHandlerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_call_records_the_handler_it_queues_and_the_handler_s_transaction_deletes_it()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("node"), DurabilityPolicy.Sync);
        using var t = new TestNode(o => o with { Durability = options }, "hello", "caller");
        int from = t.Commits.Records.Count;
        t.Node.CallReducerJson("hello", "hello", """["ann", "Happy"]""");
        var records = t.Commits.Records.Skip(from).ToArray();
        Assert.Equal(2, records.Length);
        Assert.Equal(["hello.greetings Insert", "interstice.pending_handlers Insert"], Changes(records[0]));
        Assert.Equal((CommitKind.Subscription, "caller", "on_greeting"), (records[1].Kind, records[1].Module, records[1].Function));
        Assert.Equal(["interstice.pending_handlers Delete", "caller.seen Insert"], Changes(records[1]));
        Assert.Equal(0, PendingRows(t.Node));
    }

    [Fact]
    public void A_node_in_memory_records_no_pending_handlers()
    {
        using var t = new TestNode("hello", "caller");
        int from = t.Commits.Records.Count;
        t.Node.CallReducerJson("hello", "hello", """["ann", "Happy"]""");
        var records = t.Commits.Records.Skip(from).ToArray();
        Assert.Equal(["hello.greetings Insert"], Changes(records[0]));
        Assert.Equal(["caller.seen Insert"], Changes(records[1]));
    }

    /// <summary>
    /// Module <c>relay</c>: reducer <c>mark</c> inserts mark 1 into <c>marks</c> (ephemeral or
    /// not); its handler <c>on_mark</c> inserts 1 into <c>seen</c> (so it fails when run twice),
    /// or fails ("no") when <paramref name="handlerFails"/>.
    /// </summary>
    private static byte[] Relay(bool ephemeralMarks, bool handlerFails = false) => GuestModule.Build("relay", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          (import "interstice" "set_error" (func $set_error (param i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          (data (i32.const 100) "\01\00\00\00\00\00\00\00")
          (data (i32.const 116) "no")
          (func (export "interstice_reducer.mark") (param i32 i32) (result i32)
            (drop (call $table_insert (i32.const 0) (i32.const 100) (i32.const 8)))
            (i32.const 0))
          (func (export "interstice_reducer.on_mark") (param i32 i32) (result i32)
            {{(handlerFails ? "(drop (call $set_error (i32.const 116) (i32.const 2))) (i32.const 1)" : "(call $table_insert (i32.const 1) (i32.const 100) (i32.const 8))")}}))
        """,
        types: """[{ "name": "Mark", "struct": [ { "name": "id", "type": "u64" } ] }]""",
        tables: $$"""
            [{ "name": "marks", "row": "Mark", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": {{(ephemeralMarks ? "true" : "false")}} },
             { "name": "seen", "row": "Mark", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]
            """,
        reducers: """[{ "name": "mark", "args": [] }, { "name": "on_mark", "args": [ { "name": "mark", "type": "Mark" } ] }]""",
        subscriptions: """[{ "reducer": "on_mark", "on": "relay.marks.insert" }]""");

    /// <summary>
    /// The commit sink fails on the call: the node faults once the call's record is durable, and
    /// the handler it queued does not run. The next start runs it, once: a start after that runs
    /// nothing again (the handler would fail on its own row).
    /// </summary>
    [Fact]
    public void A_handler_left_owed_by_a_fault_runs_at_the_next_start_and_only_then()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("fault"), DurabilityPolicy.Sync);
        using (var node = new Node(new NodeOptions { Durability = options }))
        {
            node.LoadModule(Relay(ephemeralMarks: false));
        }
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Call) }))
        {
            Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("relay", "mark", "[]"));
            Assert.Empty(t.Node.ReadRowsJson("relay", "seen"));
            Assert.Equal(1, PendingRows(t.Node));
        }
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            Assert.Equal(["{\"id\":1}"], t.Node.ReadRowsJson("relay", "seen"));
            Assert.Equal(0, PendingRows(t.Node));
            Assert.Contains("1 subscription handler call(s) queued before the node stopped had not run: running them now", t.LogLines(LogLevel.Info));
            Assert.Empty(t.LogLines(LogLevel.Error));
        }
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            Assert.Equal(["{\"id\":1}"], t.Node.ReadRowsJson("relay", "seen"));
            Assert.Empty(t.LogLines(LogLevel.Error));
            Assert.DoesNotContain(t.LogLines(LogLevel.Info), line => line.Contains("had not run", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// An ephemeral table's event queues its handler without a row: the handler runs, but a
    /// fault before it leaves nothing owed (the event is gone with the table's rows).
    /// </summary>
    [Fact]
    public void Events_of_an_ephemeral_table_owe_nothing_after_a_restart()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("ephemeral"), DurabilityPolicy.Sync);
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            t.Node.LoadModule(Relay(ephemeralMarks: true));
            int from = t.Commits.Records.Count;
            t.Node.CallReducerJson("relay", "mark", "[]");
            var records = t.Commits.Records.Skip(from).ToArray();
            Assert.Equal(["relay.marks Insert"], Changes(records[0]));
            Assert.Equal(["relay.seen Insert"], Changes(records[1]));
        }
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Call) }))
        {
            Assert.Empty(t.Node.ReadRowsJson("relay", "marks"));
            // The call's record holds nothing durable, so the log never has it; the sink still fails on it.
            Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("relay", "mark", "[]"));
            Assert.Equal(0, PendingRows(t.Node));
        }
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            Assert.Equal(["{\"id\":1}"], t.Node.ReadRowsJson("relay", "seen"));
            Assert.Empty(t.LogLines(LogLevel.Error));
        }
    }

    /// <summary>A handler that fails keeps the deletion of its row: its record holds only that, and no start runs it again.</summary>
    [Fact]
    public void A_failing_handler_deletes_its_row_and_is_not_run_again()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("fails"), DurabilityPolicy.Sync);
        const string failed = "relay.on_mark: handler of relay.marks.insert failed (its writes were rolled back; the event stands): no";
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            t.Node.LoadModule(Relay(ephemeralMarks: false, handlerFails: true));
            int from = t.Commits.Records.Count;
            t.Node.CallReducerJson("relay", "mark", "[]");
            Assert.Equal([failed], t.LogLines(LogLevel.Error));
            var records = t.Commits.Records.Skip(from).ToArray();
            Assert.Equal(["interstice.pending_handlers Delete"], Changes(records[1]));
            Assert.Equal(0, PendingRows(t.Node));
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Empty(again.LogLines(LogLevel.Error));
        Assert.Equal(["{\"id\":1}"], again.Node.ReadRowsJson("relay", "marks"));
    }

    /// <summary>
    /// Rows no start can run, written into the log as a buggy or hostile writer could: a module
    /// that is not loaded, a reducer it does not have, a reducer that handles no event,
    /// arguments that do not decode as the handler's, and depths the node never queues (one
    /// past <c>MaxSubscriptionDepth</c>; one stored as 2^32 - 10, which would read as negative:
    /// such a row would otherwise get past the cascade's limit). Each is dropped with a warning
    /// that names it and says why; the node starts and works.
    /// </summary>
    [Fact]
    public void Rows_a_start_cannot_run_are_dropped_with_a_warning()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("odd"), DurabilityPolicy.Sync);
        using (var node = new Node(new NodeOptions { Durability = options }))
        {
            node.LoadModule(ExampleModules.Load("hello"));
            node.LoadModule(ExampleModules.Load("caller"));
        }
        using (var writer = new NodeLogWriter(options))
        {
            writer.OwesHandler("ghost", "on_greeting", []);
            writer.OwesHandler("caller", "nope", []);
            writer.OwesHandler("caller", "poke_all", []);
            writer.OwesHandler("caller", "on_greeting", [1, 2, 3]);
            writer.OwesHandler("caller", "on_greeting", [], depth: 9);
            writer.OwesHandler("caller", "on_greeting", [], depth: unchecked((int)0xFFFFFFF6));
        }
        var rehearsed = LogVerifier.Verify(options.DataDirectory).Restore!;
        Assert.Equal(6, rehearsed.OwedHandlerCalls);
        Assert.False(rehearsed.IsClean);
        using var t = new TestNode(o => o with { Durability = options });
        Assert.Equal(0, PendingRows(t.Node));
        var warnings = t.LogLines(LogLevel.Warn);
        Assert.Equal(6, warnings.Count);
        // Verify's rehearsal names each call the start drops, with the start's words.
        Assert.Equal(warnings, rehearsed.DroppedHandlerCalls.Select(c => $"{c.Module}.{c.Reducer}: handler call of {c.Event} left pending (#{c.Id}) dropped: {c.Problem}"));
        Assert.StartsWith("ghost.on_greeting: handler call of hello.greetings.insert left pending (#1) dropped: module ghost is not loaded", warnings[0]);
        Assert.StartsWith("caller.nope: handler call of hello.greetings.insert left pending (#2) dropped: module caller no longer has a reducer `nope`", warnings[1]);
        Assert.StartsWith("caller.poke_all: handler call of hello.greetings.insert left pending (#3) dropped: caller.poke_all no longer handles a subscription", warnings[2]);
        Assert.StartsWith("caller.on_greeting: handler call of hello.greetings.insert left pending (#4) dropped: its arguments no longer decode as ", warnings[3]);
        Assert.Equal("caller.on_greeting: handler call of hello.greetings.insert left pending (#5) dropped: its depth 9 is not within 1 to 8 (NodeOptions.MaxSubscriptionDepth)", warnings[4]);
        Assert.Equal("caller.on_greeting: handler call of hello.greetings.insert left pending (#6) dropped: its depth -10 is not within 1 to 8 (NodeOptions.MaxSubscriptionDepth)", warnings[5]);
        Assert.Equal(0, RowCount(t.Node, "caller", "seen"));
        t.Node.CallReducerJson("hello", "hello", """["ann", "Happy"]""");
        Assert.Equal(1, RowCount(t.Node, "caller", "seen"));
    }

    private static string[] Changes(CommitRecord record) =>
        [.. record.Changes.Rows.ToArray().Select(c => $"{c.Table.Module}.{c.Table.Name} {c.Kind}")];

    private static int PendingRows(Node node) => RowCount(node, "interstice", "pending_handlers");

    /// <summary>The rows of a table, read past the visibility checks (the node's own tables, a private module's).</summary>
    private static int RowCount(Node node, string module, string table)
    {
        Assert.True(node.Database.TryGetTable(module, table, out var storage));
        using var read = node.Database.BeginReadOnly();
        return (int)read.Count(storage);
    }
}
