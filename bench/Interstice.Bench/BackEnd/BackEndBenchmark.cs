using System.Diagnostics;
using Interstice.Bench.Support;
using Interstice.Wasm;

namespace Interstice.Bench.BackEnd;

/// <summary>
/// Times the engine's generated code on small kernels (see <see cref="Kernels"/>), with fuel
/// metering off and on and with NaN canonicalisation, and the cost of crossing the host
/// boundary both ways. Each figure is the best of several rounds (the least disturbed by other
/// processes); fuel overhead is relative to the same kernel without fuel.
/// </summary>
internal static class BackEndBenchmark
{
    private const int Rounds = 11;

    public static int Run(string[] args)
    {
        // A missing or failing wat2wasm is a BenchmarkException, which Program reports.
        byte[] wasm = Wat2Wasm(Kernels.Module);

        var configurations = new (string Name, EngineOptions Options)[]
        {
            ("plain", new EngineOptions()),
            ("fuel", new EngineOptions { ConsumeFuel = true }),
            ("canonical NaNs", new EngineOptions { CanonicalizeNaNs = true }),
        };
        var kernels = new (string Name, string Unit, Func<Instance, Func<long>> Prepare, long Count)[]
        {
            ("fib(30)", "call", i => { var f = i.GetFunction<Func<int, int>>("fib"); return () => f(30); }, 2_692_537),
            ("sieve(4M)", "byte", i => { var f = i.GetFunction<Func<int, int>>("sieve"); return () => f(4_000_000); }, 4_000_000),
            ("matmul(200)", "mul-add", i => { var f = i.GetFunction<Func<int, double>>("matmul"); return () => (long)f(200); }, 200L * 200 * 200),
            ("xorshift(50M)", "step", i => { var f = i.GetFunction<Func<int, long>>("hash"); return () => f(50_000_000); }, 50_000_000),
            ("wasm->host (10M)", "call", i => { var f = i.GetFunction<Func<int, int>>("host_calls"); return () => f(10_000_000); }, 10_000_000),
            ("call_indirect (20M)", "call", i => { var f = i.GetFunction<Func<int, int>>("indirect_calls"); return () => f(20_000_000); }, 20_000_000),
            ("host->wasm typed (10M)", "call", i => { var f = i.GetFunction<Func<int, int, int>>("add"); return () => { int s = 0; for (int k = 0; k < 10_000_000; k++) s = f(s, 1); return s; }; }, 10_000_000),
            ("host->wasm untyped (1M)", "call", i => { var f = i.GetFunction("add")!; var args = new[] { Value.FromI32(1), Value.FromI32(2) }; var results = new Value[1]; return () => { for (int k = 0; k < 1_000_000; k++) f.Invoke(args, results); return results[0].AsI32(); }; }, 1_000_000),
        };

        Console.WriteLine($"{"kernel",-26}{"plain",12}{"fuel",12}{"fuel cost",11}{"canon NaN",12}");
        foreach (var kernel in kernels)
        {
            // The configurations take turns round after round, so that a disturbance hits them alike.
            var instances = new Instance[configurations.Length];
            var runs = new Func<long>[configurations.Length];
            var times = new double[configurations.Length];
            for (int c = 0; c < configurations.Length; c++)
            {
                var module = new Engine(configurations[c].Options).Compile(wasm);
                var linker = new Linker().DefineFunction("host", "nop", (int x) => x & 1);
                instances[c] = linker.Instantiate(module, new InstanceOptions { Fuel = long.MaxValue / 2 });
                runs[c] = kernel.Prepare(instances[c]);
                runs[c]();
                times[c] = double.MaxValue;
            }
            for (int round = 0; round < Rounds; round++)
            {
                for (int c = 0; c < configurations.Length; c++)
                {
                    var watch = Stopwatch.StartNew();
                    runs[c]();
                    times[c] = Math.Min(times[c], watch.Elapsed.TotalMilliseconds);
                }
            }
            foreach (var instance in instances) instance.Dispose();
            double perUnit = times[0] * 1e6 / kernel.Count;
            Console.WriteLine($"{kernel.Name,-26}{times[0],9:F1} ms{times[1],9:F1} ms{(times[1] / times[0] - 1) * 100,9:+0;-0}%{times[2],9:F1} ms   ({perUnit:F2} ns/{kernel.Unit})");
        }
        return 0;
    }

    private static byte[] Wat2Wasm(string wat)
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string input = Path.Combine(directory, "kernels.wat"), output = Path.Combine(directory, "kernels.wasm");
            File.WriteAllText(input, wat);
            ExternalProcess.Run("wat2wasm", [input, "-o", output]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
