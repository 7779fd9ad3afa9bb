using System.Collections.Concurrent;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// On a node whose callers wait for fsyncs (policy Sync), calls that find the writer busy wait in
/// line and are run by the thread serving it; each caller must still get its own call's outcome,
/// on its own thread, once its own commit is durable. Each scene holds the writer inside a
/// table event callback of a first call until the other callers are about to call; whether a
/// call was already in line when the holder let go is up to the scheduler, so scenes are
/// replayed until the line was served by another caller's thread.
/// </summary>
public class QueuedCallTests
{
    private const int Rounds = 10;

    [Fact]
    public void Calls_waiting_behind_a_busy_writer_are_run_by_its_holder_and_each_caller_gets_its_own_outcome()
    {
        Assert.True(Replay(Transfers), "no queued call was ever run by the thread holding the writer");
    }

    [Fact]
    public void A_failed_fsync_fails_every_caller_in_line_and_the_node_then_refuses_writes()
    {
        Assert.True(Replay(FailedFsync), "no queued call was ever run by the thread holding the writer");
    }

    [Fact]
    public void A_call_to_another_node_from_a_callback_on_the_thread_serving_the_line_leaves_that_threads_own_call_alone()
    {
        Assert.True(Replay(CallToAnotherNode), "no queued call was ever run by the thread holding the writer");
    }

    [Fact]
    public void A_thread_serves_a_bounded_share_of_the_line_then_hands_it_over()
    {
        Assert.True(Replay(LongLine), "the line was never handed over");
    }

    private static bool Replay(Func<int, bool> scene)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (scene(round)) return true;
        }
        return false;
    }

    /// <summary>Two failing transfers and a good one wait behind the holder; true when the holder ran the good one.</summary>
    private static bool Transfers(int round)
    {
        using var scene = new HeldWriter(["poor1", "poor2", "rich", "saver"]);
        scene.Node.CallReducerJson("bank", "deposit", "[\"rich\", 100]");
        var errors = scene.CallBehindHolder("transfer",
            "[\"poor1\", \"rich\", 5]", "[\"poor2\", \"rich\", 7]", $"[\"rich\", \"saver\", {10 + round}]");

        var rows = scene.Test.Rows("bank", "accounts");
        scene.Test.Dispose();
        using (var restarted = new TestNode(options => options with { Durability = new DurabilityOptions(scene.Directory) }))
            Assert.Equal(rows, restarted.Rows("bank", "accounts"));

        Assert.Null(scene.HolderError);
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
        return scene.ThreadOf("saver") == scene.HolderThread;
    }

    /// <summary>The fsync of the holder's and the waiting calls' records fails; true when the holder ran a waiting call.</summary>
    private static bool FailedFsync(int round)
    {
        using var scene = new HeldWriter(["owner0", "owner1", "owner2"]);
        scene.HoldSyncs = true;
        scene.Hooks.SyncFailure = new IOException("simulated: the disk is gone");
        var errors = scene.CallBehindHolder("deposit", "[\"owner0\", 1]", "[\"owner1\", 1]", "[\"owner2\", 1]");

        // Every caller hears of the failure: its record's fsync failed, or the node had stopped
        // accepting writes when its turn came.
        Assert.False(scene.HolderReturnedBeforeSync, "the holder's call returned before its record's fsync");
        Assert.All(errors.Append(scene.HolderError), error => Assert.True(
            error is CommitLogFailedException || error is NodeFaultedException { Message: var message } && message.Contains("stopped accepting writes"),
            $"unexpected outcome: {error?.ToString() ?? "success"}"));
        Assert.Contains(errors.Append(scene.HolderError), error => error is CommitLogFailedException failure && failure.Message.Contains("the disk is gone"));
        var refused = Assert.Throws<NodeFaultedException>(() => scene.Node.CallReducerJson("bank", "deposit", "[\"owner0\", 1]"));
        Assert.Contains("the disk is gone", refused.Message);
        return scene.ThreadOf("owner0") == scene.HolderThread;
    }

    /// <summary>
    /// The transaction of a call waiting in line calls another Sync node from a table event
    /// callback, on the thread serving the line, whose own call waits for its fsync meanwhile:
    /// that call must keep its own outcome and still wait for its own fsync.
    /// </summary>
    private static bool CallToAnotherNode(int round)
    {
        using var otherDirectory = new TempDirectory();
        using var other = new TestNode(options => options with { Durability = new DurabilityOptions(otherDirectory.Path) { Policy = DurabilityPolicy.Sync } }, "bank");
        other.Node.CallReducerJson("bank", "open", "[\"poor\"]");
        other.Node.CallReducerJson("bank", "open", "[\"rich\"]");
        Exception? nestedError = null;
        using var scene = new HeldWriter(["caller"], onChange: owner =>
        {
            if (owner != "caller") return;
            try
            {
                other.Node.CallReducerJson("bank", "transfer", "[\"poor\", \"rich\", 5]");
            }
            catch (Exception e)
            {
                nestedError = e;
            }
        });
        scene.HoldSyncs = true;
        var errors = scene.CallBehindHolder("deposit", "[\"caller\", 1]");

        Assert.Null(scene.HolderError);
        Assert.False(scene.HolderReturnedBeforeSync, "the holder's call returned before its record was fsynced");
        Assert.Null(errors[0]);
        Assert.Contains("poor has 0 and cannot pay 5", Assert.IsType<CallFailedException>(nestedError).Message);
        return scene.ThreadOf("caller") == scene.HolderThread;
    }

    /// <summary>More calls wait than one thread serves in a row; true when a thread other than the holder's ran some.</summary>
    private static bool LongLine(int round)
    {
        const int callers = 40;
        var owners = Enumerable.Range(0, callers).Select(i => $"owner{i}").ToArray();
        using var scene = new HeldWriter(owners);
        var errors = scene.CallBehindHolder("deposit", owners.Select(owner => $"[\"{owner}\", {round + 1}]").ToArray());

        Assert.All(errors, Assert.Null);
        Assert.Null(scene.HolderError);
        Assert.All(scene.Test.Rows("bank", "accounts").Where(row => !row.Contains("\"holder\"")),
            row => Assert.EndsWith($"\"balance\":{round + 1},\"frozen\":false}}", row));
        var servers = owners.Select(scene.ThreadOf).Distinct().ToList();
        return servers.Contains(scene.HolderThread) && servers.Count > 1;
    }

    /// <summary>
    /// A Sync node with the example module `bank`, account "holder" and the given accounts,
    /// whose first deposit to "holder" is held inside the writer by a table event callback
    /// until <see cref="CallBehindHolder"/> has the other callers about to call.
    /// </summary>
    private sealed class HeldWriter : IDisposable
    {
        private readonly TempDirectory _directory = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly ManualResetEventSlim _held = new();
        private readonly ConcurrentDictionary<string, int> _threadOfOwner = new();
        private readonly IDisposable _subscription;

        public HeldWriter(string[] owners, Action<string>? onChange = null)
        {
            Test = new TestNode(options => options with
            {
                Durability = new DurabilityOptions(_directory.Path) { Policy = DurabilityPolicy.Sync, Hooks = Hooks },
            }, "bank");
            foreach (string owner in owners.Prepend("holder")) Node.CallReducerJson("bank", "open", $"[\"{owner}\"]");
            _subscription = Node.Subscribe("bank", "accounts", change =>
            {
                string row = Node.FormatRow("bank", "accounts", change.NewRow.Span);
                string owner = row.Split('"')[3];
                _threadOfOwner[owner] = Environment.CurrentManagedThreadId;
                if (owner == "holder" && !_held.IsSet)
                {
                    HolderThread = Environment.CurrentManagedThreadId;
                    _held.Set();
                    _release.Wait(TimeSpan.FromSeconds(10));
                }
                else
                {
                    onChange?.Invoke(owner);
                }
            });
        }

        public TestNode Test { get; }

        public Core.Node Node => Test.Node;

        public RecordingHooks Hooks { get; } = new();

        public string Directory => _directory.Path;

        public int HolderThread { get; private set; }

        public Exception? HolderError { get; private set; }

        /// <summary>
        /// Hold the log's fsyncs from before the holder's call until a while after it lets go
        /// (time for it to run the calls in line), and tell whether its call returned meanwhile.
        /// </summary>
        public bool HoldSyncs { get; set; }

        public bool HolderReturnedBeforeSync { get; private set; }

        /// <summary>The thread that ran the last transaction changing <paramref name="owner"/>'s account.</summary>
        public int ThreadOf(string owner) => _threadOfOwner.TryGetValue(owner, out int thread) ? thread : -1;

        /// <summary>Calls <paramref name="reducer"/> once per argument list behind the held holder; returns each caller's error (null: success).</summary>
        public Exception?[] CallBehindHolder(string reducer, params string[] calls)
        {
            if (HoldSyncs) Hooks.HoldSyncs();
            var holder = new Thread(() =>
            {
                try
                {
                    Node.CallReducerJson("bank", "deposit", "[\"holder\", 1]");
                }
                catch (Exception e)
                {
                    HolderError = e;
                }
            });
            holder.Start();
            Assert.True(_held.Wait(TimeSpan.FromSeconds(10)));

            var errors = new Exception?[calls.Length];
            using var calling = new CountdownEvent(calls.Length);
            var callers = calls.Select((arguments, i) => new Thread(() =>
            {
                calling.Signal();
                try
                {
                    Node.CallReducerJson("bank", reducer, arguments);
                }
                catch (Exception e)
                {
                    errors[i] = e;
                }
            })).ToArray();
            foreach (var caller in callers) caller.Start();
            Assert.True(calling.Wait(TimeSpan.FromSeconds(10)));
            Thread.Sleep(100);
            Assert.All(callers, caller => Assert.True(caller.IsAlive, "a caller returned while the writer was held"));

            _release.Set();
            if (HoldSyncs)
            {
                HolderReturnedBeforeSync = holder.Join(TimeSpan.FromMilliseconds(300));
                Hooks.ReleaseSyncs();
            }
            Assert.True(holder.Join(TimeSpan.FromSeconds(10)), "the holder never returned");
            foreach (var caller in callers) Assert.True(caller.Join(TimeSpan.FromSeconds(10)), "a caller never returned");
            return errors;
        }

        public void Dispose()
        {
            _subscription.Dispose();
            _release.Set();
            Hooks.ReleaseSyncs();
            Test.Dispose();
            _directory.Dispose();
            _release.Dispose();
            _held.Dispose();
        }
    }
}
