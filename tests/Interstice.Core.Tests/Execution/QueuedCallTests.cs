using Interstice.Core.Durability;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// On a node whose callers wait for fsyncs (policy Sync), calls that find the writer busy wait in
/// line and are run by the thread holding it; each caller must still get its own call's outcome,
/// on its own thread, once its own commit is durable.
/// </summary>
public class QueuedCallTests
{
    [Fact]
    public void Calls_waiting_behind_a_busy_writer_are_run_by_its_holder_and_each_caller_gets_its_own_outcome()
    {
        // The holder's call is held inside the writer by a table event callback until the other
        // callers are about to call; whether a given call was already in line when the holder let
        // go is up to the scheduler, so the scene is replayed until the holder ran one of them.
        bool ranByHolder = false;
        for (int round = 0; round < 10 && !ranByHolder; round++) ranByHolder = Round(round);
        Assert.True(ranByHolder, "no queued call was ever run by the thread holding the writer");
    }

    private static bool Round(int round)
    {
        using var directory = new TempDirectory();
        using var test = new TestNode(options => options with { Durability = new DurabilityOptions(directory.Path) { Policy = DurabilityPolicy.Sync } }, "bank");
        var node = test.Node;
        foreach (string owner in new[] { "holder", "poor1", "poor2", "rich", "saver" }) node.CallReducerJson("bank", "open", $"[\"{owner}\"]");
        node.CallReducerJson("bank", "deposit", "[\"rich\", 100]");

        using var release = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        int holderThread = 0;
        var threadOfChange = new Dictionary<string, int>();
        using var subscription = node.Subscribe("bank", "accounts", change =>
        {
            string row = node.FormatRow("bank", "accounts", change.NewRow.Span);
            lock (threadOfChange) threadOfChange[row] = Environment.CurrentManagedThreadId;
            if (row.Contains("\"holder\"") && !held.IsSet)
            {
                holderThread = Environment.CurrentManagedThreadId;
                held.Set();
                release.Wait(TimeSpan.FromSeconds(10));
            }
        });

        var holder = new Thread(() => node.CallReducerJson("bank", "deposit", "[\"holder\", 1]"));
        holder.Start();
        Assert.True(held.Wait(TimeSpan.FromSeconds(10)));

        var errors = new Exception?[3];
        string[] calls = ["[\"poor1\", \"rich\", 5]", "[\"poor2\", \"rich\", 7]", $"[\"rich\", \"saver\", {10 + round}]"];
        using var calling = new CountdownEvent(calls.Length);
        var callers = calls.Select((arguments, i) => new Thread(() =>
        {
            calling.Signal();
            try
            {
                node.CallReducerJson("bank", "transfer", arguments);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        foreach (var caller in callers) caller.Start();
        Assert.True(calling.Wait(TimeSpan.FromSeconds(10)));
        Thread.Sleep(100);
        release.Set();
        holder.Join();
        foreach (var caller in callers) caller.Join();

        var rows = test.Rows("bank", "accounts");
        test.Dispose();
        using (var restarted = new TestNode(options => options with { Durability = new DurabilityOptions(directory.Path) }))
            Assert.Equal(rows, restarted.Rows("bank", "accounts"));

        Assert.Contains("poor1 has 0 and cannot pay 5", Assert.IsType<CallFailedException>(errors[0]).Message);
        Assert.Contains("poor2 has 0 and cannot pay 7", Assert.IsType<CallFailedException>(errors[1]).Message);
        Assert.Null(errors[2]);
        Assert.Equal(
        [
            "{\"owner\":\"holder\",\"balance\":1,\"frozen\":false}",
            "{\"owner\":\"poor1\",\"balance\":0,\"frozen\":false}",
            "{\"owner\":\"poor2\",\"balance\":0,\"frozen\":false}",
            $"{{\"owner\":\"rich\",\"balance\":{90 - round},\"frozen\":false}}",
            $"{{\"owner\":\"saver\",\"balance\":{10 + round},\"frozen\":false}}",
        ], rows);
        lock (threadOfChange) return threadOfChange[$"{{\"owner\":\"saver\",\"balance\":{10 + round},\"frozen\":false}}"] == holderThread;
    }
}
