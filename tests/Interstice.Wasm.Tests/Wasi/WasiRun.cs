using System.Text;
using Interstice.Wasm.Wasi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>What a WASI program did: its exit code and what it wrote to stdout and stderr.</summary>
internal sealed record WasiRunResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs WASI programs with in-memory standard streams.</summary>
internal static class WasiRun
{
    private static readonly Engine Engine = new();

    /// <summary>Runs the command <paramref name="wasm"/>; <paramref name="configure"/> adds arguments, directories, clocks...</summary>
    public static WasiRunResult Run(byte[] wasm, Action<WasiConfiguration>? configure = null, string stdin = "")
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var configuration = new WasiConfiguration
        {
            StandardInput = new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            StandardOutput = stdout,
            StandardError = stderr,
        };
        configuration.Arguments.Add("prog");
        configure?.Invoke(configuration);
        var linker = new Linker();
        using var wasi = linker.DefineWasi(configuration);
        using var instance = linker.Instantiate(Engine.Compile(wasm));
        int exitCode = wasi.RunCommand(instance);
        return new WasiRunResult(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
