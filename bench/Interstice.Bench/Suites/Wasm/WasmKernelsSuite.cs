using System.Globalization;
using System.Runtime.InteropServices;
using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>
/// The engine against Node.js (V8) on the compute kernels of bench/kernels: same binaries, same
/// timing method (warm-up runs, timed runs, median), results checked equal, fuel on and off.
/// </summary>
internal sealed class WasmKernelsSuite : IBenchmarkSuite
{
    public string Name => "wasm";

    public string Summary => "WebAssembly engine vs Node.js on compute kernels (fib, sieve, matmul, sha256, sort, nbody)";

    public string Usage => """
        usage: Interstice.Bench wasm [--warmup N] [--runs N] [--kernels a,b,...]

        Builds bench/kernels (clang-14), times each kernel in Node.js (bench/node/kernels.mjs, a
        subprocess) and in the engine in-process, without and with fuel metering; checks that every
        run computes the same result; prints a Markdown table of medians.
          --warmup N    untimed runs before timing (default 3)
          --runs N      timed runs (default 10)
          --kernels     a comma-separated subset of the kernels
        """;

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var options = SuiteOptions.Parse(args, ["warmup", "runs", "kernels"]);
        int warmup = options.GetInt("warmup", 3, 0);
        int runs = options.GetInt("runs", 10, 1);
        var kernels = SelectKernels(options.Get("kernels"));

        string wasmDirectory = KernelBuild.Run();
        output.WriteLine($"machine: {DescribeMachine()}; {RuntimeInformation.FrameworkDescription}; Node.js {NodeHarness.Version()}");
        output.WriteLine($"method: {warmup} warm-up runs, median of {runs} timed runs");
        output.WriteLine();
        var node = NodeHarness.Run(kernels, wasmDirectory, warmup, runs);

        var rows = new List<(Kernel Kernel, Timing.Runs Node, Timing.Runs Plain, Timing.Runs Fueled)>();
        foreach (var kernel in kernels)
        {
            string path = Path.Combine(wasmDirectory, kernel.Name + ".wasm");
            var nodeTiming = node.GetValueOrDefault(kernel.Name) ?? throw new BenchmarkException($"the Node.js harness did not report {kernel.Name}");
            var (plain, fueled) = EngineHarness.Run(path, kernel.N, warmup, runs);
            foreach (var (label, ours) in new[] { ("without fuel", plain), ("with fuel", fueled) })
            {
                if (!EngineHarness.SameResult(ours.Result, nodeTiming.Result))
                    throw new BenchmarkException($"{kernel.Name}({kernel.N}) returned {EngineHarness.Format(ours.Result)} {label}, Node.js returned {nodeTiming.Result}");
            }
            rows.Add((kernel, nodeTiming.Runs, plain.Runs, fueled.Runs));
        }
        foreach (var clock in new[] { Clock.Wall, Clock.Cpu })
        {
            output.WriteLine(clock == Clock.Wall ? "wall-clock time, medians:" : "CPU time of the process, medians:");
            output.WriteLine();
            WriteTable(output, rows, clock);
            output.WriteLine();
        }
        return 0;
    }

    private static void WriteTable(TextWriter output, List<(Kernel Kernel, Timing.Runs Node, Timing.Runs Plain, Timing.Runs Fueled)> rows, Clock clock)
    {
        var table = new TextTable("kernel", "n", "Node ms", "ours ms", "ours/Node", "ours+fuel ms", "fuel overhead");
        foreach (var (kernel, nodeRuns, plainRuns, fueledRuns) in rows)
        {
            double nodeMs = nodeRuns.Median(clock), oursMs = plainRuns.Median(clock), fuelMs = fueledRuns.Median(clock);
            table.AddRow(kernel.Name, kernel.N.ToString(CultureInfo.InvariantCulture),
                Format(nodeMs), Format(oursMs), (oursMs / nodeMs).ToString("0.00", CultureInfo.InvariantCulture) + "x",
                Format(fuelMs), ((fuelMs / oursMs - 1) * 100).ToString("+0;-0", CultureInfo.InvariantCulture) + "%");
        }
        table.WriteTo(output);
    }

    private static string Format(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    private static Kernel[] SelectKernels(string? list)
    {
        if (list is null) return Kernel.All;
        var selected = new List<Kernel>();
        foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            selected.Add(Array.Find(Kernel.All, k => k.Name == name)
                ?? throw new BenchmarkException($"unknown kernel '{name}' (known: {string.Join(", ", Kernel.All.Select(k => k.Name))})"));
        }
        return [.. selected];
    }

    private static string DescribeMachine()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    cpu = line[(line.IndexOf(':') + 1)..].Trim();
                    break;
                }
            }
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}";
    }
}
