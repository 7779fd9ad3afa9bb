using Interstice.Core.Durability;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Scheduling;

/// <summary>
/// ctx.schedule queues a reducer call for later: a row of the system table interstice.schedules,
/// made and undone with its transaction, run when due in (due time, id) order.
/// </summary>
public class ScheduleTests
{
    [Fact]
    public void A_scheduled_reducer_runs_when_due_as_a_transaction_of_its_own()
    {
        using var t = new TestNode("bank", "auction");
        t.Node.CallReducerJson("bank", "open", """["sam"]""");
        t.Node.CallReducerJson("bank", "open", """["ann"]""");
        t.Node.CallReducerJson("bank", "deposit", """["ann", 100]""");
        long listedAt = t.Clock.Micros;
        t.Node.CallReducerJson("auction", "list_item", """["sam", "Lamp", "Art", 10, 60]""");
        t.Node.CallReducerJson("auction", "place_bid", """[1, "ann", 25]""");

        var pending = Assert.Single(t.Node.ScheduledCalls);
        Assert.Equal(("auction", "close_auction", listedAt + 60_000_000), (pending.Module, pending.Reducer, pending.Due));
        Assert.Equal(0, t.Node.RunDueSchedules());

        t.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, t.Node.RunDueSchedules());
        Assert.Empty(t.Node.ScheduledCalls);
        Assert.Contains("\"status\":{\"Sold\":{\"buyer\":\"ann\",\"price\":25}}", t.Rows("auction", "items")[0]);
        Assert.Equal(["{\"owner\":\"ann\",\"balance\":75,\"frozen\":false}", "{\"owner\":\"sam\",\"balance\":25,\"frozen\":false}"], t.Rows("bank", "accounts"));
        var record = t.Commits.Records[^1];
        Assert.Equal((CommitKind.Scheduled, "auction", "close_auction", "schedule #1"), (record.Kind, record.Module, record.Function, record.Trigger));
    }

    [Fact]
    public void Scheduled_calls_run_in_due_time_order()
    {
        using var t = new TestNode("bank", "auction");
        t.Node.CallReducerJson("bank", "open", """["sam"]""");
        foreach (int seconds in new[] { 30, 10, 20 })
            t.Node.CallReducerJson("auction", "list_item", $$"""["sam", "item {{seconds}}", "Books", 1, {{seconds}}]""");
        Assert.Equal([2ul, 3ul, 1ul], t.Node.ScheduledCalls.Select(c => c.Id));

        t.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, t.Node.RunDueSchedules());
        var closed = t.Commits.Records.Where(r => r.Kind == CommitKind.Scheduled).Select(r => r.Trigger!).ToArray();
        Assert.Equal(["schedule #2", "schedule #3", "schedule #1"], closed);
    }

    [Fact]
    public void A_schedule_made_by_a_transaction_that_fails_never_exists()
    {
        using var t = new TestNode();
        t.Node.LoadModule(GuestModule.Build("planner", $$"""
            (module
              (import "interstice" "schedule" (func $schedule (param i32 i32 i32 i32 i64 i32) (result i32)))
              {{GuestModule.Runtime}}
              (data (i32.const 0) "later")
              (func (export "interstice_reducer.later") (param i32 i32) (result i32) (i32.const 0))
              (func (export "interstice_reducer.plan") (param $ptr i32) (param $len i32) (result i32)
                (drop (call $schedule (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 0) (i64.const 1000) (i32.const 16)))
                ;; fail when the argument is true
                (i32.load8_u (local.get $ptr))))
            """, reducers: """[{ "name": "later", "args": [] }, { "name": "plan", "args": [ { "name": "fail", "type": "bool" } ] }]"""));
        t.Node.CallReducerJson("planner", "plan", "[false]");
        Assert.Single(t.Node.ScheduledCalls);
        Assert.Throws<CallFailedException>(() => t.Node.CallReducerJson("planner", "plan", "[true]"));
        Assert.Single(t.Node.ScheduledCalls);
    }

    [Fact]
    public void The_node_runs_due_schedules_by_itself()
    {
        var logs = new List<string>();
        using var node = new Core.Node(new NodeOptions { Log = e => { lock (logs) logs.Add(e.ToString()); } });
        node.LoadModule(ExampleModules.Load("bank"));
        node.LoadModule(ExampleModules.Load("auction"));
        node.CallReducerJson("bank", "open", """["sam"]""");
        node.CallReducerJson("auction", "list_item", """["sam", "Now", "Other", 1, 0]""");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (node.ScheduledCalls.Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Empty(node.ScheduledCalls);
        Assert.True(node.ReadRowsJson("auction", "items")[0].Contains("\"Unsold\":[\"no bid could be paid\"]"), string.Join("\n", logs));
    }
}
