using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
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

    [Fact]
    public void A_failed_fsync_fails_every_caller_in_line_and_the_node_then_refuses_writes()
    {
        using var directory = new TempDirectory();
        var hooks = new RecordingHooks();
        using var test = new TestNode(options => options with
        {
            Durability = new DurabilityOptions(directory.Path) { Policy = DurabilityPolicy.Sync, Hooks = hooks },
        }, "bank");
        var node = test.Node;
        for (int i = 0; i < 4; i++) node.CallReducerJson("bank", "open", $"[\"owner{i}\"]");

        hooks.HoldSyncs();
        int syncsBefore = hooks.SyncsStarted;
        var errors = new Exception?[4];
        var callers = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            try
            {
                node.CallReducerJson("bank", "deposit", $"[\"owner{i}\", 1]");
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        foreach (var caller in callers) caller.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (hooks.SyncsStarted == syncsBefore && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Thread.Sleep(50);
        hooks.SyncFailure = new IOException("simulated: the disk is gone");
        hooks.ReleaseSyncs();
        foreach (var caller in callers) Assert.True(caller.Join(TimeSpan.FromSeconds(10)), "a caller still waits after the log failed");

        // Every caller hears of the failure: its record's fsync failed, or the node had stopped
        // accepting writes when its turn came.
        Assert.All(errors, error => Assert.True(
            error is CommitLogFailedException || error is InvalidOperationException { Message: var message } && message.Contains("stopped accepting writes"),
            $"unexpected outcome: {error?.ToString() ?? "success"}"));
        Assert.Contains(errors, error => error is CommitLogFailedException failure && failure.Message.Contains("the disk is gone"));
        var refused = Assert.Throws<InvalidOperationException>(() => node.CallReducerJson("bank", "deposit", "[\"owner0\", 1]"));
        Assert.Contains("the disk is gone", refused.Message);
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
