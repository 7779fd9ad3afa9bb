using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>
/// The kernels in Node.js (V8): one <c>node bench/node/kernels.mjs --serve</c> subprocess that
/// instantiates them all and runs one on request, timing it itself (wall clock and process CPU
/// time). Asking run by run lets the suite alternate Node and the engine.
/// </summary>
internal sealed class NodeKernels : IDisposable
{
    private readonly Process _process;

    public NodeKernels(IReadOnlyList<Kernel> kernels, string wasmDirectory)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "bench", "node", "kernels.mjs"));
        start.ArgumentList.Add("--serve");
        foreach (var kernel in kernels)
            start.ArgumentList.Add($"{kernel.Name}={Path.Combine(wasmDirectory, kernel.Name + ".wasm")}:{kernel.N.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            _process = Process.Start(start) ?? throw new BenchmarkException("could not start node");
        }
        catch (Win32Exception e)
        {
            throw new BenchmarkException($"cannot run node: {e.Message}");
        }
        string? ready = _process.StandardOutput.ReadLine();
        if (ready != "ready") throw new BenchmarkException($"the Node.js harness did not start (it said '{ready}')");
    }

    /// <summary>The Node.js version, e.g. <c>v20.20.2</c>.</summary>
    public static string Version() => ExternalProcess.Run("node", ["--version"]).Trim();

    /// <summary>Runs kernel <paramref name="name"/> once in Node.js; returns its result as JavaScript prints it and its times in milliseconds.</summary>
    public (string Result, double WallMs, double CpuMs) RunOnce(string name)
    {
        _process.StandardInput.WriteLine("run " + name);
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new BenchmarkException("the Node.js harness exited");
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error)) throw new BenchmarkException($"the Node.js harness: {error.GetString()}");
            return (root.GetProperty("result").GetString()!, root.GetProperty("ms").GetDouble(), root.GetProperty("cpuMs").GetDouble());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BenchmarkException($"cannot read the Node.js harness's answer ({e.Message}): {line}");
        }
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
    }
}
