using Interstice.Core.Durability;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A call scheduled as late as a schedule can be (a delay of <c>i64::MAX</c> saturates its due
/// time at <see cref="long.MaxValue"/>, and a forged or damaged row of <c>interstice.schedules</c>
/// may say the same) lies further off than a <see cref="TimeSpan"/> reaches: the node's timer
/// waits for it in steps, so the call that makes it returns and a node starts on a directory that
/// holds it. (Arming the timer used to throw <see cref="ArgumentOutOfRangeException"/> from the
/// call, after its commit, and from every start after it.)
/// </summary>
public class FarScheduleRestartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Module <c>planner</c>: reducer <c>plan</c> schedules <c>later</c> with the longest delay there is.</summary>
    private static byte[] Planner() => GuestModule.Build("planner", $$"""
        (module
          (import "interstice" "schedule" (func $schedule (param i32 i32 i32 i32 i64 i32) (result i32)))
          {{GuestModule.Runtime}}
          (data (i32.const 0) "later")
          (func (export "interstice_reducer.later") (param i32 i32) (result i32) (i32.const 0))
          (func (export "interstice_reducer.plan") (param i32 i32) (result i32)
            (drop (call $schedule (i32.const 0) (i32.const 5) (i32.const 0) (i32.const 0) (i64.const 0x7fffffffffffffff) (i32.const 16)))
            (i32.const 0)))
        """, reducers: """[{ "name": "later", "args": [] }, { "name": "plan", "args": [] }]""");

    [Fact]
    public void A_call_due_at_the_end_of_time_is_scheduled_and_a_node_restarts_with_it()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync);
        using (var node = new TestNode(o => o with { Durability = options, RunScheduledReducers = true }))
        {
            node.Node.LoadModule(Planner());
            node.Node.CallReducerJson("planner", "plan", "[]");
            Assert.Equal(long.MaxValue, Assert.Single(node.Node.ScheduledCalls).Due);
        }
        using (var node = new TestNode(o => o with { Durability = options, RunScheduledReducers = true }))
        {
            Assert.Equal(("later", long.MaxValue), (Assert.Single(node.Node.ScheduledCalls).Reducer, node.Node.ScheduledCalls[0].Due));
            Assert.Equal(0, node.Node.RunDueSchedules());
        }
    }
}
