using System.Diagnostics;
using Interstice.Core.CrashWriter;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Xunit.Abstractions;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Crash safety at the process level: a child process commits one-row transactions from
/// several threads and prints each one the log acknowledges; it is killed (SIGKILL) at a random
/// moment, and the data directory must then recover with every acknowledged transaction, and
/// exactly a prefix of all transactions (the log loses at most a suffix). Rounds alternate the
/// policies (all three acknowledge only what survives a process crash) and go on in the same
/// directory, so recovery after recovery, torn tails, snapshots and segment rotation are all
/// crossed. INTERSTICE_CRASH_ROUNDS sets the number of rounds (default 6; run larger on demand).
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_acknowledged_transaction_survives_a_kill_at_a_random_moment()
    {
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("INTERSTICE_CRASH_ROUNDS"), out int n) && n > 0 ? n : 6;
        var policies = new[] { DurabilityPolicy.Sync, DurabilityPolicy.Interval, DurabilityPolicy.None };
        var random = new Random(Environment.TickCount);
        string directory = _temp.Combine("data");
        var acknowledged = new HashSet<ulong>();
        long rowsBefore = 0;

        for (int round = 0; round < rounds; round++)
        {
            var policy = policies[round % policies.Length];
            var acks = await RunAndKill(directory, policy, writers: 8, killAfter: TimeSpan.FromMilliseconds(random.Next(20, 400)));
            acknowledged.UnionWith(acks);

            var database = new Database();
            var recovered = LogRecovery.Recover(new DurabilityOptions(directory), database, new CrashRows.Handler());
            Assert.True(database.TryGetTable(CrashRows.Module, CrashRows.Table, out var table));
            var ids = new List<ulong>();
            using (var view = database.BeginReadOnly())
            {
                using var rows = view.Scan(table);
                foreach (var row in rows)
                {
                    ulong id = CrashRows.Id(row.Span);
                    Assert.Equal(CrashRows.Encode(id), row.ToArray());
                    ids.Add(id);
                }
            }
            // A prefix: ids 2, 3, ... with no hole (the module load is transaction 1).
            for (int i = 0; i < ids.Count; i++) Assert.Equal((ulong)i + 2, ids[i]);
            var missing = acknowledged.Where(id => id > (ulong)ids.Count + 1).ToList();
            Assert.True(missing.Count == 0, $"round {round} ({policy}): acknowledged transactions lost: {string.Join(", ", missing.Take(10))}");
            Assert.True(ids.Count >= rowsBefore, "recovered fewer rows than a previous round");
            rowsBefore = ids.Count;
            Assert.True(LogVerifier.Verify(directory).IsHealthy, $"round {round}: the data directory does not verify after recovery");
            output.WriteLine($"round {round} ({policy}): {acks.Count} acknowledged, {ids.Count} rows, snapshot {recovered.Snapshot?.LastTransactionId}, torn tail {recovered.TornTail?.Offset}");
        }
        Assert.True(acknowledged.Count > 0, "the child never acknowledged anything");
    }

    /// <summary>Starts the child on <paramref name="directory"/>, lets it commit, kills it; returns the ids it acknowledged.</summary>
    private async Task<List<ulong>> RunAndKill(string directory, DurabilityPolicy policy, int writers, TimeSpan killAfter)
    {
        string child = typeof(CrashRows).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", child, directory, policy.ToString(), writers.ToString() }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var acks = new List<ulong>();
        var ready = new TaskCompletionSource();
        var firstAck = new TaskCompletionSource();
        var reading = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null)
            {
                if (line.StartsWith("ready ")) ready.TrySetResult();
                else if (line.StartsWith("ack "))
                {
                    lock (acks) acks.Add(ulong.Parse(line.AsSpan(4)));
                    firstAck.TrySetResult();
                }
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"the child acknowledged nothing within 60 s: {await errors}");
        }
        await Task.Delay(killAfter);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await reading;
        lock (acks) return [.. acks];
    }
}
