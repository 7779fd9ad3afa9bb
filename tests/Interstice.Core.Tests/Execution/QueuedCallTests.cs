using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// Calls that find the writer busy wait in line and are run by the thread holding it; each
/// caller must still get its own call's outcome, on its own thread, after its own commit.
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
        using var test = new TestNode("bank");
        var node = test.Node;
        foreach (string owner in new[] { "holder", "poor1", "poor2", "rich" }) node.CallReducerJson("bank", "open", $"[\"{owner}\"]");
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

        var failures = new CallFailedException?[2];
        Exception? richError = null;
        using var calling = new CountdownEvent(3);
        var callers = new[]
        {
            new Thread(() =>
            {
                calling.Signal();
                failures[0] = Assert.Throws<CallFailedException>(() => node.CallReducerJson("bank", "transfer", "[\"poor1\", \"rich\", 5]"));
            }),
            new Thread(() =>
            {
                calling.Signal();
                failures[1] = Assert.Throws<CallFailedException>(() => node.CallReducerJson("bank", "transfer", "[\"poor2\", \"rich\", 7]"));
            }),
            new Thread(() =>
            {
                calling.Signal();
                try
                {
                    node.CallReducerJson("bank", "transfer", $"[\"rich\", \"poor1\", {10 + round}]");
                }
                catch (Exception e)
                {
                    richError = e;
                }
            }),
        };
        foreach (var caller in callers) caller.Start();
        Assert.True(calling.Wait(TimeSpan.FromSeconds(10)));
        Thread.Sleep(100);
        release.Set();
        holder.Join();
        foreach (var caller in callers) caller.Join();

        Assert.Null(richError);
        Assert.Contains("poor1 has 0 and cannot pay 5", failures[0]!.Message);
        Assert.Contains("poor2 has 0 and cannot pay 7", failures[1]!.Message);
        Assert.Equal(
        [
            "{\"owner\":\"holder\",\"balance\":1,\"frozen\":false}",
            $"{{\"owner\":\"poor1\",\"balance\":{10 + round},\"frozen\":false}}",
            "{\"owner\":\"poor2\",\"balance\":0,\"frozen\":false}",
            $"{{\"owner\":\"rich\",\"balance\":{90 - round},\"frozen\":false}}",
        ], test.Rows("bank", "accounts"));
        lock (threadOfChange) return threadOfChange[$"{{\"owner\":\"poor1\",\"balance\":{10 + round},\"frozen\":false}}"] == holderThread;
    }
}
