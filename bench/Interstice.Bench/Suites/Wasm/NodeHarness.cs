using System.Text.Json;
using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>Times the kernels in Node.js (V8) with bench/node/kernels.mjs, in a subprocess.</summary>
internal static class NodeHarness
{
    /// <summary>One kernel's result (as JavaScript prints it) and its timed runs.</summary>
    public sealed record Measurement(string Result, Timing.Runs Runs);

    /// <summary>The Node.js version, e.g. <c>v20.20.2</c>.</summary>
    public static string Version() => ExternalProcess.Run("node", ["--version"]).Trim();

    public static Dictionary<string, Measurement> Run(IReadOnlyList<Kernel> kernels, string wasmDirectory, int warmup, int runs)
    {
        var arguments = new List<string>
        {
            Path.Combine(RepositoryPaths.Root, "bench", "node", "kernels.mjs"),
            warmup.ToString(System.Globalization.CultureInfo.InvariantCulture),
            runs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var kernel in kernels) arguments.Add($"{kernel.Name}={Path.Combine(wasmDirectory, kernel.Name + ".wasm")}:{kernel.N}");
        string json = ExternalProcess.Run("node", arguments);

        var timings = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                string name = element.GetProperty("name").GetString()!;
                string result = element.GetProperty("result").GetString()!;
                var wall = element.GetProperty("timesMs").EnumerateArray().Select(t => t.GetDouble()).ToArray();
                var cpu = element.GetProperty("cpuMs").EnumerateArray().Select(t => t.GetDouble()).ToArray();
                timings[name] = new Measurement(result, new Timing.Runs(wall, cpu));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BenchmarkException($"cannot read the Node.js harness's output ({e.Message}): {json}");
        }
        return timings;
    }
}
