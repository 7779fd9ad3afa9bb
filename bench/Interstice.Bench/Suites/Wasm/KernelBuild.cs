using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>Compiles the kernels with bench/kernels/build (clang-14, no libc) and finds the binaries.</summary>
internal static class KernelBuild
{
    /// <summary>Builds what is out of date; returns the directory holding NAME.wasm for every kernel.</summary>
    public static string Run()
    {
        string script = Path.Combine(RepositoryPaths.Root, "bench", "kernels", "build");
        string output = ExternalProcess.Run(script, []).Trim();
        string directory = output.Split('\n')[^1].Trim();
        if (!Directory.Exists(directory)) throw new BenchmarkException($"{script} printed '{output}', not the output directory");
        return directory;
    }
}
