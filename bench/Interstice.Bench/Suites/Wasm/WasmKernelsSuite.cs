using System.Globalization;
using System.Runtime.InteropServices;
using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>
/// The engine against Node.js (V8) on the compute kernels of bench/kernels: same binaries, same
/// timing method (warm-up runs, timed runs taking turns, medians), results checked equal, fuel
/// metering off and on.
/// </summary>
internal sealed class WasmKernelsSuite : IBenchmarkSuite
{
    public string Name => "wasm";

    public string Summary => "WebAssembly engine vs Node.js on compute kernels (fib, sieve, matmul, sha256, sort, nbody)";

    public string Usage => """
        usage: Interstice.Bench wasm [--warmup N] [--runs N] [--kernels a,b,...] [--build scalar|simd]

        Builds bench/kernels (clang-14), then for each kernel: warm-up runs, then timed runs taking
        turns (Node.js, ours without fuel, ours with fuel; the order rotates each round) so that all
        three see the same machine load. Node.js runs in a subprocess (bench/node/kernels.mjs
        --serve), ours in-process. Checks that every run computes the same result; prints Markdown
        tables of the medians, wall-clock and CPU time.
          --warmup N    untimed runs of each before timing (default 3)
          --runs N      timed runs of each (default 15)
          --kernels     a comma-separated subset of the kernels
          --build simd  compile the kernels with SIMD instructions allowed (clang -msimd128, which
                        vectorises matmul, nbody and sha256); default: scalar
        """;

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var options = SuiteOptions.Parse(args, ["warmup", "runs", "kernels", "build"]);
        int warmup = options.GetInt("warmup", 3, 0);
        int runs = options.GetInt("runs", 15, 1);
        var kernels = SelectKernels(options.Get("kernels"));
        bool simd = options.Get("build") switch
        {
            null or "scalar" => false,
            "simd" => true,
            var other => throw new BenchmarkException($"option --build takes scalar or simd, not '{other}'"),
        };

        string wasmDirectory = KernelBuild.Run(simd);
        output.WriteLine($"machine: {DescribeMachine()}; {RuntimeInformation.FrameworkDescription}; Node.js {NodeKernels.Version()}");
        output.WriteLine($"kernels: clang-14 -O2{(simd ? " -msimd128" : "")}");
        output.WriteLine($"method: {warmup} warm-up runs, then {runs} timed runs of each taking turns; medians");
        output.WriteLine();

        var rows = new List<(Kernel Kernel, Timing.Runs Node, Timing.Runs Plain, Timing.Runs Fueled)>();
        using (var node = new NodeKernels(kernels, wasmDirectory))
        {
            foreach (var kernel in kernels) rows.Add(Measure(kernel, node, wasmDirectory, warmup, runs));
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

    private static (Kernel, Timing.Runs, Timing.Runs, Timing.Runs) Measure(Kernel kernel, NodeKernels node, string wasmDirectory, int warmup, int runs)
    {
        string path = Path.Combine(wasmDirectory, kernel.Name + ".wasm");
        byte[] wasm = File.ReadAllBytes(path);
        using var plain = new EngineKernel(wasm, path, kernel.N, consumeFuel: false);
        using var fueled = new EngineKernel(wasm, path, kernel.N, consumeFuel: true);
        var nodeRuns = new Timing.Runs(new double[runs], new double[runs]);
        var plainRuns = new Timing.Runs(new double[runs], new double[runs]);
        var fueledRuns = new Timing.Runs(new double[runs], new double[runs]);
        string nodeResult = "";
        var turns = new Action<int>[]
        {
            i => (nodeResult, nodeRuns.WallMs[i], nodeRuns.CpuMs[i]) = node.RunOnce(kernel.Name),
            i => Timing.MeasureOnce(plain.Run, plainRuns, i),
            i => Timing.MeasureOnce(fueled.Run, fueledRuns, i),
        };
        for (int i = 0; i < warmup; i++)
        {
            node.RunOnce(kernel.Name);
            plain.Run();
            fueled.Run();
        }
        for (int i = 0; i < runs; i++)
            for (int turn = 0; turn < turns.Length; turn++) turns[(i + turn) % turns.Length](i);

        foreach (var (label, ours) in new[] { ("without fuel", plain), ("with fuel", fueled) })
        {
            if (!EngineKernel.SameResult(ours.Result, nodeResult))
                throw new BenchmarkException($"{kernel.Name}({kernel.N}) returned {EngineKernel.Format(ours.Result)} {label}, Node.js returned {nodeResult}");
        }
        return (kernel, nodeRuns, plainRuns, fueledRuns);
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
