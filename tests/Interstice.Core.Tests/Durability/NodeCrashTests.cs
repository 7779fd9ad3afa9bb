using System.Diagnostics;
using System.Text.Json;
using Interstice.Core.CrashNode;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Xunit.Abstractions;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// The crash test: a real node process (tests/Interstice.Core.CrashNode) runs the example module
/// <c>bank</c> under a load of transfers from several writer threads while a keeper thread loads,
/// calls, unloads and removes the example module <c>hello</c> in a fixed cycle
/// (<see cref="Keeper"/>), and is killed with SIGKILL at a random moment, again and again on the
/// same data directory, alternating the durability policies (all three promise that an
/// acknowledged transaction survives the death of the process). After each kill a node started
/// in this process restores the directory (which must succeed), and:
/// <list type="bullet">
/// <item>every writer's two balances equal those computed from the calls the child
/// acknowledged, plus at most the one call it had under way (which may or may not have become
/// durable): every acknowledged transaction is there, and nothing else;</item>
/// <item>each writer's two balances add up to what they started with: no transfer is half
/// applied (a transfer is one transaction of two row updates);</item>
/// <item>module <c>tally</c>'s handler kept every account update that took effect exactly once,
/// in order (<see cref="Tally"/>, <see cref="CheckTally"/>): the handler calls a transfer owes
/// when the kill comes before they ran are run by the restart, and none twice;</item>
/// <item>the modules loaded are <c>bank</c>, and <c>hello</c> exactly when the keeper's
/// acknowledged operations, plus at most the one it had under way, leave it loaded; hello's
/// <c>greetings</c> rows (read from its kept tables when it is unloaded) are exactly those they
/// give, and none are left once it is removed: no module operation is half applied either (a
/// first load comes back with its <c>init</c> greeting or not at all);</item>
/// <item>the data directory verifies clean.</item>
/// </list>
/// The next run's keeper resumes the cycle where the directory stands. Rounds and time are
/// bounded: INTERSTICE_CRASH_ROUNDS (default 6) and INTERSTICE_CRASH_SECONDS (default 120) set
/// them; run with large values for a long soak.
/// </summary>
public partial class NodeCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Writers = 6;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Acknowledged_transfers_and_module_operations_survive_kills_at_random_moments_and_none_is_half_applied()
    {
        int rounds = Setting("INTERSTICE_CRASH_ROUNDS", 6);
        var budget = TimeSpan.FromSeconds(Setting("INTERSTICE_CRASH_SECONDS", 120));
        var policies = new[] { DurabilityPolicy.Sync, DurabilityPolicy.Interval, DurabilityPolicy.None };
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        string directory = _temp.Combine("data");
        string tally = _temp.Combine("tally.wasm");
        File.WriteAllBytes(tally, Tally());
        var balances = new Ledger(Writers);
        var hello = new HelloModel();
        long acknowledged = 0, operations = 0, owedRounds = 0, owedCalls = 0;
        var killedDuring = new Dictionary<KeeperAction, int>();
        var clock = Stopwatch.StartNew();

        int round = 0;
        for (; round < rounds && (round == 0 || clock.Elapsed < budget); round++)
        {
            var policy = policies[round % policies.Length];
            var run = await RunAndKill(directory, policy, round, hello.NextStep, tally, TimeSpan.FromMilliseconds(random.Next(10, 500)));
            acknowledged += run.Acknowledged.Count;
            operations += run.Operations.Count;
            string where = $"seed {seed}, round {round} ({policy})";
            bool? tookEffect;

            int owed = 0;
            using (var node = Restart(directory, where, calls => owed = calls))
            {
                tookEffect = hello.Settle(run, HelloModel.Observe(node), where);
                Assert.Equal(hello.Loaded ? ["bank", "hello", "tally"] : ["bank", "tally"], node.Modules.Select(m => m.Name).Order(StringComparer.Ordinal));
                var state = ReadBalances(node);
                for (int w = 0; w < Writers; w++)
                {
                    var (first, second) = state[w];
                    Assert.True(first + second == 2 * Program.StartingBalance,
                        $"{where}: writer {w}'s balances {first} + {second} do not add up to {2 * Program.StartingBalance}: a transfer was half applied");
                    balances.Settle(w, run, (first, second), where);
                }
                // Each writer's two accounts got one deposit each, then two updates per transfer.
                long updates = 2 * Writers + 2 * balances.Transfers;
                long tallied = CheckTally(node, where);
                Assert.True(tallied == updates,
                    $"{where}: tally holds {tallied} account updates, expected {updates} (2 deposits per writer, 2 per transfer that took effect): a handler call was lost or ran twice");
            }
            if (owed > 0)
            {
                owedRounds++;
                owedCalls += owed;
            }
            var report = LogVerifier.Verify(directory);
            Assert.True(report.IsHealthy, $"{where}: the data directory does not verify after the restart: {report.Corruption?.Reason ?? report.CoverageProblem ?? report.Restore?.Failure}");
            Assert.True(report.Restore?.OwedHandlerCalls == 0, $"{where}: the restart left {report.Restore?.OwedHandlerCalls} handler calls owed");
            string keeper = "";
            if (run.Operation is { } pending)
            {
                var action = Keeper.Cycle[pending.Step].Action;
                killedDuring[action] = killedDuring.GetValueOrDefault(action) + 1;
                keeper = $", keeper's {action} (step {pending.Step}) under way {(tookEffect == true ? "took effect" : "did not")}";
            }
            output.WriteLine($"round {round} ({policy}): killed after {run.KilledAfter.TotalMilliseconds:F0} ms, {run.Acknowledged.Count} calls acknowledged, {run.UnderWay.Count} under way; {run.Operations.Count} keeper operations done{keeper}; {owed} handler calls owed, run by the restart");
        }
        int moduleOperations = killedDuring.Where(k => k.Key != KeeperAction.Greet).Sum(k => k.Value);
        output.WriteLine($"{round} rounds, {acknowledged} acknowledged calls and {operations} keeper operations in {clock.Elapsed.TotalSeconds:F0} s");
        output.WriteLine($"{moduleOperations} of {round} rounds killed with a module operation under way ({string.Join(", ", killedDuring.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
        output.WriteLine($"{owedRounds} of {round} rounds left subscription handler calls owed ({owedCalls} in all), run by the restart");
        Assert.True(acknowledged > 0, "the child never acknowledged a call");
    }

    /// <summary>Starts a node on what the kill left; <paramref name="owed"/> is told how many handler calls the start ran for the run before.</summary>
    private static Node Restart(string directory, string where, Action<int> owed)
    {
        const string Ran = " subscription handler call(s) queued before the node stopped had not run";
        try
        {
            return new Node(new NodeOptions
            {
                Durability = new DurabilityOptions(directory),
                Log = entry =>
                {
                    int at = entry.Message.IndexOf(Ran, StringComparison.Ordinal);
                    if (at > 0) owed(int.Parse(entry.Message.AsSpan(0, at)));
                },
            });
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{where}: the node does not start on what the kill left: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) && value > 0 ? value : fallback;

    /// <summary>Every bank account's balance, by owner.</summary>
    private static Dictionary<string, ulong> ReadAccounts(Node node)
    {
        var accounts = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string row in node.ReadRowsJson("bank", "accounts"))
        {
            using var json = JsonDocument.Parse(row);
            accounts[json.RootElement.GetProperty("owner").GetString()!] = json.RootElement.GetProperty("balance").GetUInt64();
        }
        return accounts;
    }

    private static (ulong First, ulong Second)[] ReadBalances(Node node)
    {
        var accounts = ReadAccounts(node);
        var result = new (ulong, ulong)[Writers];
        for (int w = 0; w < Writers; w++) result[w] = (accounts[Program.FirstAccount(w)], accounts[Program.SecondAccount(w)]);
        return result;
    }

    /// <summary>
    /// What one run of the child did: the calls it acknowledged, and per writer the call it had
    /// under way when killed; the keeper's operations acknowledged (in order), and the one it had under way.
    /// </summary>
    private sealed record Run(List<(int Writer, ulong Call)> Acknowledged, Dictionary<int, ulong> UnderWay,
        List<(ulong Call, int Step)> Operations, (ulong Call, int Step)? Operation, TimeSpan KilledAfter);

    /// <summary>Starts the child (its keeper at step <paramref name="step"/>), waits until it acknowledged a call, lets it run a random while, kills it.</summary>
    private async Task<Run> RunAndKill(string directory, DurabilityPolicy policy, int round, int step, string tally, TimeSpan killAfter)
    {
        string child = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string bank = ExampleModules.PathOf("bank");
        string hello = ExampleModules.PathOf("hello");
        foreach (var arg in new[] { "exec", child, directory, policy.ToString(), Writers.ToString(), round.ToString(), bank, hello, tally, step.ToString() })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var acknowledged = new List<(int, ulong)>();
        var underWay = new Dictionary<int, ulong>();
        var operations = new List<(ulong, int)>();
        (ulong Call, int Step)? operation = null;
        var firstAck = new TaskCompletionSource();
        var reading = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null)
            {
                var parts = line.Split(' ');
                lock (acknowledged)
                {
                    switch (parts[0])
                    {
                        case "call":
                            underWay[int.Parse(parts[1])] = ulong.Parse(parts[2]);
                            break;
                        case "ack":
                            int writer = int.Parse(parts[1]);
                            ulong call = ulong.Parse(parts[2]);
                            Assert.Equal(call, underWay[writer]);
                            underWay.Remove(writer);
                            acknowledged.Add((writer, call));
                            firstAck.TrySetResult();
                            break;
                        case "op":
                            operation = (ulong.Parse(parts[1]), int.Parse(parts[2]));
                            break;
                        case "done":
                            Assert.Equal(ulong.Parse(parts[1]), operation?.Call);
                            operations.Add(operation!.Value);
                            operation = null;
                            break;
                    }
                }
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"the child acknowledged nothing within 90 s: {await errors}");
        }
        var clock = Stopwatch.StartNew();
        await Task.Delay(killAfter);
        process.Kill(entireProcessTree: true);
        var killedAfter = clock.Elapsed;
        await process.WaitForExitAsync();
        await reading;
        string stderr = await errors;
        Assert.True(stderr.Length == 0, $"the child wrote errors: {stderr}");
        lock (acknowledged) return new Run([.. acknowledged], new Dictionary<int, ulong>(underWay), [.. operations], operation, killedAfter);
    }

    /// <summary>The balances the calls known to be durable give, per writer.</summary>
    private sealed class Ledger
    {
        private readonly (ulong First, ulong Second)[] _expected;

        /// <summary>How many transfers took effect, all writers together.</summary>
        public long Transfers { get; private set; }

        public Ledger(int writers)
        {
            _expected = new (ulong, ulong)[writers];
            Array.Fill(_expected, (Program.StartingBalance, Program.StartingBalance));
        }

        /// <summary>
        /// Takes the run's acknowledged calls of <paramref name="writer"/> into account, then
        /// checks <paramref name="actual"/> against them, with or without its call under way, and
        /// keeps whichever it matches.
        /// </summary>
        public void Settle(int writer, Run run, (ulong First, ulong Second) actual, string where)
        {
            foreach (var (w, call) in run.Acknowledged)
            {
                if (w != writer) continue;
                _expected[writer] = Apply(_expected[writer], call);
                Transfers++;
            }
            if (actual == _expected[writer]) return;
            if (run.UnderWay.TryGetValue(writer, out ulong pending) && actual == Apply(_expected[writer], pending))
            {
                _expected[writer] = actual;
                Transfers++;
                return;
            }
            string underWay = run.UnderWay.TryGetValue(writer, out ulong call2) ? $", or {Apply(_expected[writer], call2)} with its call {call2} under way" : "";
            throw new Xunit.Sdk.XunitException($"{where}: writer {writer}'s balances are {actual}, expected {_expected[writer]} from its acknowledged calls{underWay}");
        }

        /// <summary>Call K moves K units from the first account to the second when K is even, back when odd.</summary>
        private static (ulong, ulong) Apply((ulong First, ulong Second) balances, ulong call) =>
            call % 2 == 0 ? (balances.First - call, balances.Second + call) : (balances.First + call, balances.Second - call);
    }
}
