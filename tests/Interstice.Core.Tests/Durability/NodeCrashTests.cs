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
/// <c>bank</c> under a load of transfers from several writer threads and is killed with SIGKILL
/// at a random moment, again and again on the same data directory, alternating the durability
/// policies (all three promise that an acknowledged transaction survives the death of the
/// process). After each kill a node started in this process restores the directory, and:
/// <list type="bullet">
/// <item>every writer's two balances equal those computed from the calls the child
/// acknowledged, plus at most the one call it had under way (which may or may not have become
/// durable): every acknowledged transaction is there, and nothing else;</item>
/// <item>each writer's two balances add up to what they started with: no transfer is half
/// applied (a transfer is one transaction of two row updates);</item>
/// <item>the data directory verifies clean.</item>
/// </list>
/// Rounds and time are bounded: INTERSTICE_CRASH_ROUNDS (default 6) and INTERSTICE_CRASH_SECONDS
/// (default 120) set them; run with large values for a long soak.
/// </summary>
public class NodeCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Writers = 6;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Acknowledged_transfers_survive_kills_at_random_moments_and_none_is_half_applied()
    {
        int rounds = Setting("INTERSTICE_CRASH_ROUNDS", 6);
        var budget = TimeSpan.FromSeconds(Setting("INTERSTICE_CRASH_SECONDS", 120));
        var policies = new[] { DurabilityPolicy.Sync, DurabilityPolicy.Interval, DurabilityPolicy.None };
        int seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        string directory = _temp.Combine("data");
        var balances = new Ledger(Writers);
        long acknowledged = 0;
        var clock = Stopwatch.StartNew();

        int round = 0;
        for (; round < rounds && (round == 0 || clock.Elapsed < budget); round++)
        {
            var policy = policies[round % policies.Length];
            var run = await RunAndKill(directory, policy, round, TimeSpan.FromMilliseconds(random.Next(10, 500)));
            acknowledged += run.Acknowledged.Count;

            using (var node = new Node(new NodeOptions { Durability = new DurabilityOptions(directory) }))
            {
                Assert.Equal(["bank"], node.Modules.Select(m => m.Name));
                var state = ReadBalances(node);
                for (int w = 0; w < Writers; w++)
                {
                    var (first, second) = state[w];
                    Assert.True(first + second == 2 * Program.StartingBalance,
                        $"round {round} ({policy}): writer {w}'s balances {first} + {second} do not add up to {2 * Program.StartingBalance}: a transfer was half applied");
                    balances.Settle(w, run, (first, second), $"round {round} ({policy})");
                }
            }
            var report = LogVerifier.Verify(directory);
            Assert.True(report.IsHealthy, $"round {round} ({policy}): the data directory does not verify after the restart: {report.Corruption?.Reason ?? report.CoverageProblem ?? report.Restore?.Failure}");
            output.WriteLine($"round {round} ({policy}): killed after {run.KilledAfter.TotalMilliseconds:F0} ms, {run.Acknowledged.Count} calls acknowledged, {run.UnderWay.Count} under way");
        }
        output.WriteLine($"{round} rounds, {acknowledged} acknowledged calls in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(acknowledged > 0, "the child never acknowledged a call");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) && value > 0 ? value : fallback;

    private static (ulong First, ulong Second)[] ReadBalances(Node node)
    {
        var accounts = new Dictionary<string, ulong>();
        foreach (string row in node.ReadRowsJson("bank", "accounts"))
        {
            using var json = JsonDocument.Parse(row);
            accounts[json.RootElement.GetProperty("owner").GetString()!] = json.RootElement.GetProperty("balance").GetUInt64();
        }
        var result = new (ulong, ulong)[Writers];
        for (int w = 0; w < Writers; w++) result[w] = (accounts[Program.FirstAccount(w)], accounts[Program.SecondAccount(w)]);
        return result;
    }

    /// <summary>What one run of the child did: the calls it acknowledged, and per writer the call it had under way when killed.</summary>
    private sealed record Run(List<(int Writer, ulong Call)> Acknowledged, Dictionary<int, ulong> UnderWay, TimeSpan KilledAfter);

    /// <summary>Starts the child, waits until it acknowledged a call, lets it run a random while, kills it.</summary>
    private async Task<Run> RunAndKill(string directory, DurabilityPolicy policy, int round, TimeSpan killAfter)
    {
        string child = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string bank = Path.Combine(ExampleModules.Root, "artifacts", "modules", "bank.wasm");
        ExampleModules.Load("bank");
        foreach (var arg in new[] { "exec", child, directory, policy.ToString(), Writers.ToString(), round.ToString(), bank }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var acknowledged = new List<(int, ulong)>();
        var underWay = new Dictionary<int, ulong>();
        var firstAck = new TaskCompletionSource();
        var reading = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null)
            {
                var parts = line.Split(' ');
                if (parts.Length != 3) continue;
                int writer = int.Parse(parts[1]);
                ulong call = ulong.Parse(parts[2]);
                lock (acknowledged)
                {
                    if (parts[0] == "call")
                    {
                        underWay[writer] = call;
                    }
                    else if (parts[0] == "ack")
                    {
                        Assert.Equal(call, underWay[writer]);
                        underWay.Remove(writer);
                        acknowledged.Add((writer, call));
                        firstAck.TrySetResult();
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
        lock (acknowledged) return new Run([.. acknowledged], new Dictionary<int, ulong>(underWay), killedAfter);
    }

    /// <summary>The balances the calls known to be durable give, per writer.</summary>
    private sealed class Ledger
    {
        private readonly (ulong First, ulong Second)[] _expected;

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
                if (w == writer) _expected[writer] = Apply(_expected[writer], call);
            }
            if (actual == _expected[writer]) return;
            if (run.UnderWay.TryGetValue(writer, out ulong pending) && actual == Apply(_expected[writer], pending))
            {
                _expected[writer] = actual;
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
