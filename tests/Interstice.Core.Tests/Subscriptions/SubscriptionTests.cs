using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Subscriptions;

/// <summary>
/// Table events run their handlers after the transaction commits, each handler call a transaction
/// of its own, in a documented order: events in write order, then handlers by module name, then
/// reducer name; cascades run breadth-first and stop at the configured depth without stopping the node.
/// </summary>
public class SubscriptionTests
{
    [Fact]
    public void Handlers_run_after_the_commit_in_write_order_then_module_then_reducer_order()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        t.ClearLogs();
        t.Node.CallReducerJson("rogue", "poke_batches", """[[["Ann", "Bo"]]]""");

        var handled = t.Logs.Where(e => e.Message.StartsWith("handled ", StringComparison.Ordinal)).Select(e => $"{e.Module}.{e.Function}").ToArray();
        Assert.Equal(["caller.on_greeting", "rogue.audit_greeting", "rogue.witness_greeting",
                      "caller.on_greeting", "rogue.audit_greeting", "rogue.witness_greeting"], handled);
        Assert.Equal(["hello.hello: greeted Ann for the first time (id 2)", "hello.hello: greeted Bo for the first time (id 3)",
                      "rogue.audit_greeting: audit Ann", "rogue.witness_greeting: witness Ann", "rogue.audit_greeting: audit Bo", "rogue.witness_greeting: witness Bo"],
            t.LogLines(LogLevel.Info));

        // The call committed first; each handler that wrote committed after it, as its own transaction.
        var records = t.Commits.Records.SkipWhile(r => r.Kind != CommitKind.Call).ToArray();
        Assert.Equal(("rogue", "poke_batches"), (records[0].Module, records[0].Function));
        Assert.All(records[1..], r => Assert.Equal((CommitKind.Subscription, "caller", "on_greeting", "hello.greetings.insert", 1), (r.Kind, r.Module, r.Function, r.Trigger, r.Depth)));
        Assert.Equal(2, records.Length - 1);
        Assert.True(records[1].Sequence > records[0].Sequence);
    }

    [Fact]
    public void A_subscription_loop_is_stopped_at_the_configured_depth_and_the_node_carries_on()
    {
        using var t = new TestNode(o => o with { MaxSubscriptionDepth = 5 }, "hello", "rogue");
        t.Node.CallReducerJson("rogue", "echo", "[]");
        // The call's echo, then one per handler depth 1..5.
        Assert.Equal("6", t.Node.RunQueryJson("rogue", "echo_count", "[]"));
        var error = Assert.Single(t.LogLines(LogLevel.Error));
        Assert.Equal("rogue.on_echo: subscription cascade stopped: rogue.on_echo on rogue.echoes.insert would run at depth 6, past the limit of 5; " +
            "1 handler call(s) were not run. Handlers whose writes trigger handlers again loop; the node carries on (NodeOptions.MaxSubscriptionDepth sets the limit)", error);
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        Assert.Equal(2, t.Rows("hello", "greetings").Count);
    }

    [Fact]
    public void A_failing_handler_is_logged_and_the_event_stands()
    {
        using var t = new TestNode("hello");
        t.Node.LoadModule(GuestModule.Build("grumbler", $$"""
            (module
              (import "interstice" "set_error" (func $set_error (param i32 i32) (result i32)))
              {{GuestModule.Runtime}}
              (data (i32.const 0) "not today")
              (func (export "interstice_reducer.grumble") (param i32 i32) (result i32)
                (drop (call $set_error (i32.const 0) (i32.const 9)))
                (i32.const 1)))
            """,
            types: HelloGreetingsCopy,
            reducers: """[{ "name": "grumble", "args": [ { "name": "greeting", "type": "hello.Greetings" } ] }]""",
            subscriptions: """[{ "reducer": "grumble", "on": "hello.greetings.insert" }]""",
            dependencies: """[{ "module": "hello", "version": "^0.1.0", "node": null }]"""));
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        Assert.Equal(2, t.Rows("hello", "greetings").Count);
        Assert.Equal(["grumbler.grumble: handler of hello.greetings.insert failed (its writes were rolled back; the event stands): not today"], t.LogLines(LogLevel.Error));
    }

    [Fact]
    public void Update_events_give_the_old_and_new_rows_and_handlers_see_them()
    {
        using var t = new TestNode("bank", "auction");
        t.Node.CallReducerJson("bank", "open", """["sam"]""");
        t.Node.CallReducerJson("bank", "open", """["ann"]""");
        t.Node.CallReducerJson("bank", "deposit", """["ann", 100]""");
        t.Node.CallReducerJson("auction", "list_item", """["sam", "Lamp", "Art", 10, 60]""");
        t.Node.CallReducerJson("auction", "place_bid", """[1, "ann", 20]""");
        Assert.Contains("\"bidder\":\"ann\"", t.Node.RunQueryJson("auction", "best", "[1]"));

        // Freezing ann's account is an update of bank.accounts; auction's handler withdraws her bids.
        t.Node.CallReducerJson("bank", "set_frozen", """["ann", true]""");
        Assert.Equal("null", t.Node.RunQueryJson("auction", "best", "[1]"));
        Assert.Contains(t.Commits.Records, r => r.Kind == CommitKind.Subscription && r.Module == "auction" && r.Trigger == "bank.accounts.update");
    }

    [Fact]
    public void In_process_subscribers_see_each_committed_change()
    {
        using var t = new TestNode("hello");
        var events = new List<RowEvent>();
        using (t.Node.Subscribe("hello", "greetings", events.Add))
        {
            t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            t.Node.CallReducerJson("hello", "hello", """["Ann", "Grumpy"]""");
            Assert.Throws<CallFailedException>(() => t.Node.CallReducerJson("hello", "hello", """["", "Grumpy"]"""));
        }
        t.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");

        Assert.Equal([RowChangeKind.Insert, RowChangeKind.Update], events.Select(e => e.Kind));
        Assert.Equal(("hello", "greetings"), (events[0].Module, events[0].Table));
        Assert.Contains("\"count\":1", t.Node.FormatRow("hello", "greetings", events[1].OldRow.Span));
        Assert.Contains("\"count\":2", t.Node.FormatRow("hello", "greetings", events[1].NewRow.Span));
        Assert.True(events[1].Sequence > events[0].Sequence);
    }

    [Fact]
    public void An_in_process_subscriber_cannot_call_reducers_from_its_callback()
    {
        using var t = new TestNode("hello");
        Exception? refused = null;
        var reads = new List<string>();
        using var _ = t.Node.Subscribe("hello", "greetings", e =>
        {
            refused = Record.Exception(() => t.Node.CallReducerJson("hello", "hello", """["Echo", "Happy"]"""));
            reads.Add(t.Node.RunQueryJson("hello", "count", "[]")); // reading is fine, and sees the commit
        });
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal(["2"], reads);
        Assert.Equal(2, t.Rows("hello", "greetings").Count);
    }

    internal const string HelloGreetingsCopy = """
        [ { "name": "hello.Greetings", "struct": [ { "name": "id", "type": "u64" }, { "name": "name", "type": "string" },
              { "name": "mood", "type": "hello.Mood" }, { "name": "message", "type": "string" }, { "name": "count", "type": "u32" } ] },
          { "name": "hello.Mood", "enum": [ { "name": "Happy" }, { "name": "Neutral" }, { "name": "Grumpy" } ] } ]
        """;
}
