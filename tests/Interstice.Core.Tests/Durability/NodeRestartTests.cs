using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A durable node (the real node with the example modules, on a data directory) stopped and
/// started again: it comes back with its modules, tables, sequences and schedules, having run
/// no WebAssembly to get there, and carries on.
/// </summary>
public class NodeRestartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name = "data", long snapshotEvery = 0, DurabilityPolicy policy = DurabilityPolicy.Sync) =>
        new(_temp.Combine(name)) { Policy = policy, SnapshotEveryRecords = snapshotEvery, SnapshotEveryBytes = 0 };

    private static long RowCount(TestNode node, string module, string table)
    {
        Assert.True(node.Node.Database.TryGetTable(module, table, out var storage), $"no table {module}.{table}");
        using var view = node.Node.Database.BeginReadOnly();
        return view.Count(storage);
    }

    private static List<string> Describe(IEnumerable<Core.Scheduling.ScheduledCall> calls) =>
        calls.Select(c => $"{c.Id} {c.Due} {c.Module}.{c.Reducer}({Convert.ToHexString(c.Arguments)})").ToList();

    private static TestNode Start(DurabilityOptions options, params string[] modules) =>
        new(o => o with { Durability = options }, modules);

    [Fact]
    public void A_restarted_node_has_its_modules_rows_sequences_and_schedules_back_and_ran_nothing_to_get_them()
    {
        var options = Options();
        IReadOnlyList<string> modules, greetings, items;
        string state;
        List<string> schedules;
        using (var first = Start(options, "hello", "caller", "bank", "auction"))
        {
            first.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            first.Node.CallReducerJson("hello", "hello", """["Bo", "Grumpy"]""");
            first.Node.CallReducerJson("hello", "hello", """["Ann", "Neutral"]""");
            first.Node.CallReducerJson("auction", "list_item", """["sam", "Lamp", "Art", 10, 60]""");
            first.Node.CallReducerJson("auction", "watch", """["ann", 1]""");
            Assert.Single(first.Rows("auction", "watchers"));
            modules = first.Node.Modules.Select(m => $"{m.Name} {m.ContentHash}").ToList();
            greetings = first.Rows("hello", "greetings");
            state = DatabaseDump.Of(first.Node.Database);
            items = first.Rows("auction", "items");
            schedules = Describe(first.Node.ScheduledCalls);
        }

        using var second = Start(options);
        Assert.Equal(modules, second.Node.Modules.Select(m => $"{m.Name} {m.ContentHash}"));
        Assert.Equal(greetings, second.Rows("hello", "greetings"));
        Assert.Equal(state, DatabaseDump.Of(second.Node.Database));
        Assert.Equal(items, second.Rows("auction", "items"));
        Assert.Equal(schedules, Describe(second.Node.ScheduledCalls));
        Assert.Empty(second.Rows("auction", "watchers"));
        // Restoring ran no transaction: no init, no handler, no reducer; no module logged anything.
        Assert.Empty(second.Commits.Records);
        Assert.DoesNotContain(second.Logs, e => e.FromModule);
        Assert.Null(second.Node.Recovery!.TornTail);

        // And it carries on: the auto_inc sequence continues, subscriptions fire, schedules run.
        second.Node.CallReducerJson("hello", "hello", """["Cy", "Happy"]""");
        Assert.Contains("\"id\":4", second.Rows("hello", "greetings")[^1]);
        Assert.Contains(second.Commits.Records, r => r.Kind == CommitKind.Subscription && r.Function == "on_greeting");
        second.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, second.Node.RunDueSchedules());
        Assert.Contains("Unsold", second.Rows("auction", "items")[0]);
    }

    [Fact]
    public void Transaction_numbers_and_time_continue_after_the_last_logged_transaction()
    {
        var options = Options();
        CommitRecord last;
        using (var first = Start(options, "hello"))
        {
            first.Clock.Advance(TimeSpan.FromHours(1));
            first.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            last = first.Commits.Records[^1];
        }
        using var second = Start(options);
        Assert.Equal((ulong)last.Sequence, second.Node.Recovery!.LastTransactionId);
        Assert.Equal(last.Timestamp, second.Node.Recovery.LastTimestamp);
        // The restarted node's clock is an hour behind; its transactions are not stamped earlier.
        second.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");
        var next = second.Commits.Records[^1];
        Assert.Equal(last.Sequence + 1, next.Sequence);
        Assert.Equal(last.Timestamp, next.Timestamp);
    }

    [Fact]
    public void Ephemeral_tables_are_not_logged_and_come_back_empty()
    {
        var options = Options();
        using (var node = Start(options, "bank", "auction"))
        {
            node.Node.CallReducerJson("auction", "watch", """["ann", 1]""");
            node.Node.CallReducerJson("auction", "watch", """["bo", 2]""");
        }
        var logged = LogReader.Read(options.DataDirectory).Select(e => e.Record).OfType<TransactionRecord>().SelectMany(r => r.Rows).ToList();
        Assert.DoesNotContain(logged, change => change.Table == "watchers");
        using var restarted = Start(options);
        Assert.Empty(restarted.Rows("auction", "watchers"));
        restarted.Node.CallReducerJson("auction", "watch", """["cy", 3]""");
        Assert.Single(restarted.Rows("auction", "watchers"));
    }

    [Fact]
    public void Unloaded_modules_keep_their_tables_across_a_restart_and_removed_ones_lose_them()
    {
        var options = Options();
        using (var node = Start(options, "hello", "caller", "bank"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            node.Node.CallReducerJson("bank", "open", """["ann"]""");
            node.Node.UnloadModule("caller");
            node.Node.RemoveModule("bank");
        }
        using var restarted = Start(options);
        Assert.Equal(["hello"], restarted.Node.Modules.Select(m => m.Name));

        // caller's table kept its row; loading it again takes it back.
        Assert.Equal(1L, RowCount(restarted, "caller", "seen"));
        restarted.Node.LoadModule(ExampleModules.Load("caller"));
        Assert.Equal(1L, RowCount(restarted, "caller", "seen"));
        // bank was removed: loading it is a first load, on empty tables.
        restarted.Node.LoadModule(ExampleModules.Load("bank"));
        Assert.Empty(restarted.Rows("bank", "accounts"));
    }

    /// <summary>
    /// Only a module's first load logs its schema: loaded again over its kept tables, a binary
    /// may depend on a module loaded since. A start restores it after that module (by the
    /// dependencies the binaries declare), and verify's rehearsal agrees.
    /// </summary>
    [Fact]
    public void A_module_loaded_again_with_a_new_dependency_is_restored_after_it()
    {
        var options = Options();
        byte[] first = GuestModule.Build("later", $"(module {GuestModule.Runtime})");
        byte[] second = GuestModule.Build("later", $"(module {GuestModule.Runtime})",
            dependencies: """[{ "module": "hello", "version": "^0.1.0", "node": null }]""");
        using (var node = Start(options))
        {
            node.Node.LoadModule(first);
            node.Node.UnloadModule("later");
            node.Node.LoadModule(ExampleModules.Load("hello"));
            node.Node.LoadModule(second);
        }
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.True(report.IsHealthy, string.Join("; ", report.Restore!.Modules.Select(m => $"{m.Name}: {m.Problem}")));
        using var restarted = Start(options);
        Assert.Equal(["hello", "later"], restarted.Node.Modules.Select(m => m.Name).Order());
    }

    /// <summary>
    /// A module removed and loaded again: its row in <c>interstice.modules</c> was deleted, which
    /// leaves that table empty but with a freed slot, and then inserted again. Replay fills a table
    /// that is empty at once (a bulk load), which must not mistake the freed slot for a row.
    /// </summary>
    [Fact]
    public void A_node_restarts_after_a_module_was_removed_and_loaded_again()
    {
        var options = Options();
        using (var node = Start(options, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            node.Node.RemoveModule("hello");
            node.Node.LoadModule(ExampleModules.Load("hello"));
            node.Node.CallReducerJson("hello", "hello", """["Bo", "Grumpy"]""");
        }
        using var restarted = Start(options);
        Assert.Equal(["hello"], restarted.Node.Modules.Select(m => m.Name));
        Assert.Equal(2L, RowCount(restarted, "hello", "greetings"));
        Assert.True(LogVerifier.Verify(options.DataDirectory).IsHealthy);
    }

    [Fact]
    public void Snapshots_bound_what_a_start_replays_and_give_the_same_state()
    {
        var options = Options(snapshotEvery: 25) with { SnapshotsToKeep = 1 };
        IReadOnlyList<string> rows;
        using (var node = Start(options, "hello"))
        {
            for (int i = 0; i < 120; i++) node.Node.CallReducerJson("hello", "hello", $$"""["n{{i % 40}}", "Happy"]""");
            rows = node.Rows("hello", "greetings");
        }
        using (var restarted = Start(options))
        {
            var recovery = restarted.Node.Recovery!;
            // Snapshots are written in the background and one that comes due while another is
            // still being written is skipped, so which one is newest depends on timing; what does
            // not is that the start loads it and replays exactly the transactions after it.
            var snapshot = Assert.NotNull(recovery.Snapshot);
            Assert.InRange(snapshot.LastTransactionId, 25UL, recovery.LastTransactionId);
            Assert.Equal(recovery.LastTransactionId - snapshot.LastTransactionId, (ulong)recovery.RecordsReplayed);
            Assert.Equal(rows, restarted.Rows("hello", "greetings"));
            restarted.Node.CallReducerJson("hello", "hello", """["last", "Happy"]""");
            restarted.Node.TakeSnapshot();
        }
        using var again = Start(options);
        Assert.Equal(0, again.Node.Recovery!.RecordsReplayed);
        Assert.Equal(rows.Count + 1, again.Rows("hello", "greetings").Count);
    }

    [Fact]
    public void A_published_snapshot_is_reported_with_what_it_holds_and_logged_by_the_node()
    {
        var reports = new System.Collections.Concurrent.ConcurrentQueue<Core.Durability.Snapshots.SnapshotReport>();
        var entries = new System.Collections.Concurrent.ConcurrentQueue<NodeLogEntry>();
        var options = Options() with { SnapshotWritten = reports.Enqueue };
        using (var node = new TestNode(o => o with { Durability = options, Log = entries.Enqueue }, "hello"))
        {
            for (int i = 0; i < 30; i++) node.Node.CallReducerJson("hello", "hello", $$"""["n{{i}}", "Happy"]""");
            node.Node.TakeSnapshot();
        }

        var report = Assert.Single(reports);
        var file = Assert.Single(new DataDirectory(options.DataDirectory).ListSnapshots());
        Assert.Equal(file.LastTransactionId, report.LastTransactionId);
        Assert.Equal(file.Path, report.Path);
        Assert.Equal(new FileInfo(file.Path).Length, report.Bytes);
        // The greetings, and the node's own rows: the module's row in interstice.modules.
        using (var restarted = Start(options))
        {
            long rows = restarted.Node.Database.Tables.Where(t => !t.Definition.IsEphemeral).Sum(t => RowCount(restarted, t.Module, t.Name));
            Assert.Equal(rows, report.Rows);
        }
        Assert.True(report.CommitsHeld > TimeSpan.Zero && report.Writing > TimeSpan.Zero);
        var logged = Assert.Single(entries, e => e.Message.StartsWith("snapshot of transaction", StringComparison.Ordinal));
        Assert.Equal(Abi.LogLevel.Info, logged.Level);
        Assert.Equal(report.ToString(), logged.Message);
    }

    [Fact]
    public async Task A_snapshot_callback_that_disposes_the_node_or_takes_a_snapshot_is_refused_instead_of_waiting_for_itself()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        TestNode? node = null;
        var refusals = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = Options() with
        {
            Warning = warnings.Enqueue,
            SnapshotWritten = _ =>
            {
                refusals.Enqueue(Assert.Throws<InvalidOperationException>(() => node!.Node.TakeSnapshot()).Message);
                node!.Node.Dispose();
            },
        };
        node = new TestNode(o => o with { Durability = options }, "hello");
        using (node)
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            var taking = Task.Run(node.Node.TakeSnapshot);
            // Before the refusal, this waited for ever: the callback waited for its own snapshot.
            await taking.WaitAsync(TimeSpan.FromSeconds(60));
            node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");
        }
        Assert.Contains("cannot take a snapshot", Assert.Single(refusals), StringComparison.Ordinal);
        Assert.Contains(warnings, w => w.Contains("the SnapshotWritten callback failed: a snapshot's callback cannot dispose the node", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_table_callback_asking_for_a_snapshot_while_one_is_written_is_refused_at_once()
    {
        TestNode? node = null;
        int reports = 0;
        using var inCallback = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var options = Options() with
        {
            SnapshotWritten = _ =>
            {
                if (Interlocked.Increment(ref reports) != 1) return;
                inCallback.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                node!.Node.CallReducerJson("hello", "hello", """["From the snapshot callback", "Happy"]""");
            },
        };
        node = new TestNode(o => o with { Durability = options }, "hello");
        node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        var first = Task.Run(node.Node.TakeSnapshot);
        Assert.True(inCallback.Wait(TimeSpan.FromSeconds(30)));
        string? refusal = null;
        using (node.Node.Subscribe("hello", "greetings", _ =>
        {
            try
            {
                node.Node.TakeSnapshot();
            }
            catch (InvalidOperationException e)
            {
                refusal ??= e.Message;
            }
        }))
        {
            // Before the refusal came first, the callback waited (holding the writer) for the
            // snapshot, whose own callback waits for the writer.
            var call = Task.Run(() => node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]"""));
            Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30))));
        }
        release.Set();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("already running a transaction on this thread", refusal);
        node.Dispose();
    }

    [Fact]
    public void A_snapshot_callback_may_call_a_reducer_while_another_snapshot_is_asked_for()
    {
        TestNode? node = null;
        Thread? second = null;
        int reports = 0;
        using var inCallback = new ManualResetEventSlim();
        using var secondAsked = new ManualResetEventSlim();
        var options = Options() with
        {
            SnapshotWritten = _ =>
            {
                if (Interlocked.Increment(ref reports) != 1) return;
                inCallback.Set();
                secondAsked.Wait();
                // Let the second request reach its wait for this snapshot (it blocks) before this
                // call needs the writer: only then does the order that deadlocked come about.
                Wait.For(() => second!.ThreadState.HasFlag(ThreadState.WaitSleepJoin), TimeSpan.FromSeconds(30));
                Thread.Sleep(50);
                node!.Node.CallReducerJson("hello", "hello", """["From the callback", "Happy"]""");
            },
        };
        node = new TestNode(o => o with { Durability = options }, "hello");
        node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        var first = new Thread(node.Node.TakeSnapshot) { IsBackground = true };
        first.Start();
        Assert.True(inCallback.Wait(TimeSpan.FromSeconds(30)));
        node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");
        second = new Thread(node.Node.TakeSnapshot) { IsBackground = true };
        second.Start();
        secondAsked.Set();
        // Before the fix the second request held the writer while it waited for the first
        // snapshot, whose callback waited for the writer: neither ever finished (and closing the
        // node would wait for them too, so a deadlocked node is left open).
        Assert.True(first.Join(TimeSpan.FromSeconds(30)) && second.Join(TimeSpan.FromSeconds(30)), "the two snapshot requests deadlocked");
        using (node)
        {
            Assert.Contains(node.Rows("hello", "greetings"), row => row.Contains("From the callback", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DurabilityPolicy.Sync)]
    [InlineData(DurabilityPolicy.Interval)]
    [InlineData(DurabilityPolicy.None)]
    public void A_call_returns_once_its_transaction_is_as_durable_as_the_policy_promises(DurabilityPolicy policy)
    {
        var hooks = new RecordingHooks();
        var options = Options(policy: policy) with { Hooks = hooks, FlushInterval = TimeSpan.FromHours(1) };
        using var node = Start(options, "hello");
        for (int i = 0; i < 20; i++)
        {
            // Only what the log did during this call counts: its own record's write (and fsync).
            int before = hooks.EventsSoFar().Count;
            node.Node.CallReducerJson("hello", "hello", $$"""["n{{i}}", "Happy"]""");
            var events = hooks.EventsSoFar().Skip(before).ToList();
            int write = events.FindIndex(e => e.StartsWith("write "));
            Assert.True(write >= 0, $"call {i} returned before its record was written");
            bool synced = events.FindIndex(write, e => e.StartsWith("sync ")) > write;
            if (policy == DurabilityPolicy.Sync) Assert.True(synced, $"call {i} returned before the fsync of its record");
        }
        if (policy != DurabilityPolicy.Sync) Assert.True(hooks.Syncs <= 3, $"{policy}: {hooks.Syncs} fsyncs for 20 calls (expected none but when segments and the module binary are created)");
    }

    [Fact]
    public void Concurrent_callers_share_fsyncs_under_sync()
    {
        var hooks = new RecordingHooks { SyncDelayMilliseconds = 5 };
        var options = Options() with { Hooks = hooks };
        using var node = Start(options, "bench");
        int before = hooks.Syncs;
        const int callers = 8, calls = 25;
        // Dedicated threads, not the thread pool: on a loaded machine the pool may run the callers
        // one after the other, and then there is nothing to share.
        using var start = new Barrier(callers);
        var threads = new Thread[callers];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        for (int t = 0; t < callers; t++)
        {
            int c = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    for (int i = 0; i < calls; i++)
                        node.Node.CallReducerJson("bench", "insert_one", $$"""[{{c * 1000 + i}}, 1, "k{{c}}-{{i}}", ""]""");
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
        int syncs = hooks.Syncs - before;
        Assert.Equal(callers * calls, node.Rows("bench", "rows").Count);
        Assert.True(syncs < callers * calls, $"{syncs} fsyncs for {callers * calls} concurrent commits: none was shared");
    }
}
