using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// A first load's row in <c>interstice.modules</c> is written in the transaction of its first
/// <c>init</c> handler (reducer-name order), kept when that handler fails; the other handlers
/// follow as before. So no cut of the log leaves the module recorded as loaded without its first
/// handler's effects, and the row is what decides whether a load that faults stands.
/// </summary>
public class FirstLoadRecordTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Module <c>starter</c> (table <c>marks</c> of u64 ids): init handler <c>a_first</c> inserts
    /// mark 1, then fails when <paramref name="firstFails"/>; <c>b_second</c> inserts mark 2.
    /// </summary>
    private static byte[] Starter(bool firstFails) => GuestModule.Build("starter", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          (import "interstice" "set_error" (func $set_error (param i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          (data (i32.const 100) "\01\00\00\00\00\00\00\00")
          (data (i32.const 108) "\02\00\00\00\00\00\00\00")
          (data (i32.const 116) "no")
          (func (export "interstice_reducer.a_first") (param i32 i32) (result i32)
            (drop (call $table_insert (i32.const 0) (i32.const 100) (i32.const 8)))
            {{(firstFails ? "(drop (call $set_error (i32.const 116) (i32.const 2))) (i32.const 1)" : "(i32.const 0)")}})
          (func (export "interstice_reducer.b_second") (param i32 i32) (result i32)
            (drop (call $table_insert (i32.const 0) (i32.const 108) (i32.const 8)))
            (i32.const 0)))
        """,
        types: """[{ "name": "Mark", "struct": [ { "name": "id", "type": "u64" } ] }]""",
        tables: """[{ "name": "marks", "row": "Mark", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""",
        reducers: """[{ "name": "a_first", "args": [] }, { "name": "b_second", "args": [] }]""",
        subscriptions: """[{ "reducer": "b_second", "on": "init" }, { "reducer": "a_first", "on": "init" }]""");

    /// <summary>Module <c>idle</c>: no table, one <c>init</c> handler that does nothing.</summary>
    private static readonly byte[] Idle = GuestModule.Build("idle", $$"""
        (module
          {{GuestModule.Runtime}}
          (func (export "interstice_reducer.setup") (param i32 i32) (result i32) (i32.const 0)))
        """,
        reducers: """[{ "name": "setup", "args": [] }]""",
        subscriptions: """[{ "reducer": "setup", "on": "init" }]""");

    private static string[] Marks(Node node) => [.. node.ReadRowsJson("starter", "marks")];

    /// <summary>
    /// The commit sink fails on the first init handler's transaction, which records the load
    /// and owes the second handler: the node faults before running it, and the next start does.
    /// </summary>
    [Fact]
    public void An_init_handler_owed_when_the_node_faults_runs_at_the_next_start()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("owed"), DurabilityPolicy.Sync);
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Subscription) }))
        {
            Assert.Throws<NodeFaultedException>(() => t.Node.LoadModule(Starter(firstFails: false)));
            Assert.Equal(["{\"id\":1}"], Marks(t.Node));
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal("starter", Assert.Single(again.Node.Modules).Name);
        Assert.Equal(["{\"id\":1}", "{\"id\":2}"], Marks(again.Node));
    }

    [Fact]
    public void The_first_init_handler_s_transaction_records_the_load_and_the_others_follow()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("ok"), DurabilityPolicy.Sync);
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            t.Node.LoadModule(Starter(firstFails: false));
            var records = t.Commits.Records;
            Assert.Equal(2, records.Count);
            Assert.Equal((CommitKind.Subscription, "a_first"), (records[0].Kind, records[0].Function));
            // The load's row, b_second owed (its row in interstice.pending_handlers), a_first's mark.
            Assert.Equal(["interstice.modules", "interstice.pending_handlers", "starter.marks"], records[0].Changes.Rows.ToArray().Select(c => $"{c.Table.Module}.{c.Table.Name}"));
            Assert.Equal((CommitKind.Subscription, "b_second"), (records[1].Kind, records[1].Function));
            Assert.Equal(["interstice.pending_handlers", "starter.marks"], records[1].Changes.Rows.ToArray().Select(c => $"{c.Table.Module}.{c.Table.Name}"));
            Assert.Equal(["{\"id\":1}", "{\"id\":2}"], Marks(t.Node));
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal("starter", Assert.Single(again.Node.Modules).Name);
        Assert.Equal(["{\"id\":1}", "{\"id\":2}"], Marks(again.Node));
    }

    [Fact]
    public void A_first_init_handler_that_fails_keeps_the_record_and_the_load()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("fails"), DurabilityPolicy.Sync);
        using (var t = new TestNode(o => o with { Durability = options }))
        {
            t.Node.LoadModule(Starter(firstFails: true));
            Assert.Equal(["starter.a_first: handler of init failed (its writes were rolled back; the event stands): no"], t.LogLines(LogLevel.Error));
            var record = t.Commits.Records[0];
            Assert.Equal((CommitKind.Subscription, "a_first"), (record.Kind, record.Function));
            Assert.Equal(["interstice.modules", "interstice.pending_handlers"], record.Changes.Rows.ToArray().Select(c => $"{c.Table.Module}.{c.Table.Name}"));
            Assert.Equal(["{\"id\":2}"], Marks(t.Node));
        }
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal("starter", Assert.Single(again.Node.Modules).Name);
        Assert.Equal(["{\"id\":2}"], Marks(again.Node));
    }

    /// <summary>
    /// A first load stopped after its tables' creation was logged but before its row, on a node
    /// that does not fault (here the clock fails as init's transaction begins): the load is
    /// undone and the tables' drop logged, so the node carries on, loads the module again, and
    /// restarts from a directory that verifies clean. Also for a module without tables, whose
    /// creation is logged all the same.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_first_load_undone_on_a_working_node_logs_its_tables_dropped(bool withTables)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(withTables ? "tables" : "tableless"), DurabilityPolicy.Sync);
        byte[] module = withTables ? Starter(firstFails: false) : Idle;
        string name = withTables ? "starter" : "idle";
        var clock = new TrippingClock();
        using (var t = new TestNode(o => o with { Durability = options, TimeProvider = clock }))
        {
            clock.OnNextRead(() => throw new InvalidOperationException("the clock broke"), skipping: 1);
            var error = Assert.Throws<InvalidOperationException>(() => t.Node.LoadModule(module));
            Assert.Equal("the clock broke", error.Message);
            Assert.Empty(t.Node.Modules);
            Assert.False(t.Node.Database.TryGetTable("starter", "marks", out _));

            t.Node.LoadModule(module);
            Assert.Equal(name, Assert.Single(t.Node.Modules).Name);
            if (withTables) Assert.Equal(["{\"id\":1}", "{\"id\":2}"], Marks(t.Node));
        }
        Assert.True(LogVerifier.Verify(options.DataDirectory).IsHealthy);
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Equal(name, Assert.Single(again.Node.Modules).Name);
        if (withTables) Assert.Equal(["{\"id\":1}", "{\"id\":2}"], Marks(again.Node));
    }

    /// <summary>
    /// The log accepts the first load's record (init's transaction with the row), then fails to
    /// write it: the load is undone (tables dropped), as a restart has it.
    /// </summary>
    [Fact]
    public void A_first_load_whose_record_the_log_fails_to_write_is_undone()
    {
        var hooks = new RecordingHooks();
        var options = FailingLogNode.Options(_temp.Combine("unwritten"), hooks, _ => { });
        var clock = new TrippingClock();
        var t = new TestNode(o => o with { Durability = options, TimeProvider = clock });
        try
        {
            // The load reads the clock for its tables' creation (an event), then as init's
            // transaction begins: once the event is written, writing fails.
            clock.OnNextRead(() =>
            {
                // The segment's header, then the event.
                Wait.Until(() => hooks.Writes >= 2, TimeSpan.FromSeconds(30), "the load's first record was never written");
                hooks.WriteFailure = new IOException("simulated write error");
            }, skipping: 1);
            var error = Assert.ThrowsAny<Exception>(() => t.Node.LoadModule(Starter(firstFails: false)));
            // The log's failure, as the load's own wait or the second handler's refused append saw it first.
            Assert.True(error is CommitLogFailedException or NodeFaultedException, error.ToString());
            Assert.Contains("simulated write error", error.ToString());
            Assert.Empty(t.Node.Modules);
            Assert.False(t.Node.Database.TryGetTable("starter", "marks", out _));
        }
        finally
        {
            FailingLogNode.Close(t, hooks);
        }
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
        Assert.Empty(again.Node.Modules);
        Assert.False(again.Node.Database.TryGetTable("starter", "marks", out _));
    }
}
