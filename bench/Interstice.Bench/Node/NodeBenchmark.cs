using Interstice.Bench.Support;
using Interstice.Bench.Sqlite;

namespace Interstice.Bench.Node;

/// <summary>
/// The node end to end, in process, beside SQLite (in memory, prepared statements) doing the
/// same work: a noop reducer call vs an empty transaction, a one-row insert reducer vs a one-row
/// insert transaction, and primary-key and unique-key lookups through queries vs SELECTs, with
/// 10^3 and 10^6 rows in the table. Uses the example module <c>bench</c> (scripts/build-modules).
/// <para>
/// Both table sizes are built first; then each round measures every operation on each size and
/// on SQLite one after the other, so that all see the same load on a shared machine. Figures
/// are medians over the rounds, in wall-clock and in process CPU time, after a warm-up round.
/// </para>
/// </summary>
internal static class NodeBenchmark
{
    private sealed record Operation(string Name, int Count, Action<Workload, int> Node, Action<Workload, int> Sqlite);

    /// <summary>The rounds of one operation on one table size.</summary>
    private sealed class Samples(int rounds)
    {
        public Timing.Runs Node { get; } = new(new double[rounds], new double[rounds]);
        public Timing.Runs Sqlite { get; } = new(new double[rounds], new double[rounds]);
        public double[] NodeGcMs { get; } = new double[rounds];
    }

    public static int Run(string[] args)
    {
        bool quick = args.Contains("quick");
        string module = Path.Combine(RepositoryPaths.Root, "artifacts", "modules", "bench.wasm");
        if (!File.Exists(module))
        {
            Console.Error.WriteLine($"{module} is missing: run scripts/build-modules first");
            return 1;
        }
        byte[] wasm = File.ReadAllBytes(module);
        int[] sizes = quick ? [1_000, 100_000] : [1_000, 1_000_000];
        int rounds = quick ? 3 : 5;
        int lookups = quick ? 20_000 : 100_000;
        var operations = new Operation[]
        {
            new("noop reducer / empty transaction", quick ? 20_000 : 100_000, (w, n) => w.NodeNoop(n), (w, n) => w.SqliteEmptyTransaction(n)),
            new("insert one row", quick ? 5_000 : 20_000, (w, n) => w.NodeInsert(n), (w, n) => w.SqliteInsert(n)),
            new("primary-key lookup (query get)", lookups, (w, _) => w.NodeGet(), (w, _) => w.SqliteGet()),
            new("unique-key lookup (query by_key)", lookups, (w, _) => w.NodeByKey(), (w, _) => w.SqliteByKey()),
        };
        Console.WriteLine($"node vs SQLite {SqliteDatabase.Version} (in memory, prepared statements); ns per operation, medians of {rounds} rounds alternating sizes and engines");
        Console.WriteLine();

        var workloads = new Workload[sizes.Length];
        try
        {
            for (int s = 0; s < sizes.Length; s++) workloads[s] = new Workload(wasm, sizes[s], lookups);
            var samples = new Samples[operations.Length, sizes.Length];
            for (int o = 0; o < operations.Length; o++)
            {
                for (int s = 0; s < sizes.Length; s++) samples[o, s] = new Samples(rounds);
            }
            // Round -1 warms up (code tiers up, caches fill) and is not recorded.
            for (int round = -1; round < rounds; round++)
            {
                for (int o = 0; o < operations.Length; o++)
                {
                    for (int s = 0; s < sizes.Length; s++)
                    {
                        var operation = operations[o];
                        var workload = workloads[s];
                        var sample = samples[o, s];
                        // Each node batch starts on a collected heap and ends with a gen0
                        // collection, timed with it: it pays for its own garbage, not another's.
                        GC.Collect();
                        var pausedBefore = GC.GetTotalPauseDuration();
                        Measure(() =>
                        {
                            operation.Node(workload, operation.Count);
                            GC.Collect(0);
                        }, sample.Node, round);
                        if (round >= 0) sample.NodeGcMs[round] = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;
                        Measure(() => operation.Sqlite(workload, operation.Count), sample.Sqlite, round);
                    }
                }
            }
            Report(operations, sizes, samples);
            Console.WriteLine();
            foreach (var workload in workloads)
            {
                Console.WriteLine($"memory per row at {workload.Rows:N0} rows: node {workload.NodeBytesPerRow:F0} bytes (managed heap), SQLite {workload.SqliteBytesPerRow:F0} bytes");
            }
        }
        finally
        {
            foreach (var workload in workloads) workload?.Dispose();
        }
        return 0;
    }

    private static void Measure(Action action, Timing.Runs runs, int round)
    {
        if (round < 0) action();
        else Timing.MeasureOnce(action, runs, round);
    }

    private static void Report(Operation[] operations, int[] sizes, Samples[,] samples)
    {
        var table = new TextTable("operation", "rows", "node ns", "node CPU ns", "(GC ns)", "SQLite ns", "SQLite CPU ns", "node / SQLite");
        for (int s = 0; s < sizes.Length; s++)
        {
            for (int o = 0; o < operations.Length; o++)
            {
                var sample = samples[o, s];
                double perOperation = 1e6 / operations[o].Count;
                double node = sample.Node.Median(Clock.Wall) * perOperation;
                double sqlite = sample.Sqlite.Median(Clock.Wall) * perOperation;
                table.AddRow(operations[o].Name, $"{sizes[s]:N0}", $"{node:N0}", $"{sample.Node.Median(Clock.Cpu) * perOperation:N0}",
                    $"{Timing.Median(sample.NodeGcMs) * perOperation:N0}", $"{sqlite:N0}", $"{sample.Sqlite.Median(Clock.Cpu) * perOperation:N0}", $"{node / sqlite:F2}");
            }
        }
        table.WriteTo(Console.Out);
        Console.WriteLine();
        for (int o = 0; o < operations.Length; o++)
        {
            Samples small = samples[o, 0], large = samples[o, sizes.Length - 1];
            Console.WriteLine($"{operations[o].Name} at {sizes[^1]:N0} rows / at {sizes[0]:N0} rows: " +
                $"node {Growth(small.Node, large.Node, Clock.Wall):F2} (CPU {Growth(small.Node, large.Node, Clock.Cpu):F2}), " +
                $"SQLite {Growth(small.Sqlite, large.Sqlite, Clock.Wall):F2} (CPU {Growth(small.Sqlite, large.Sqlite, Clock.Cpu):F2})");
        }
    }

    private static double Growth(Timing.Runs small, Timing.Runs large, Clock clock) => large.Median(clock) / small.Median(clock);
}
