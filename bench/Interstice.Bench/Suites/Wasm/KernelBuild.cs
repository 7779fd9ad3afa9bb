using Interstice.Bench.Support;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>Compiles the kernels with bench/kernels/build (clang-14, no libc) and finds the binaries.</summary>
internal static class KernelBuild
{
    /// <summary>Builds what is out of date; returns the directory holding NAME.wasm for every kernel.</summary>
    /// <param name="simd">Let clang use SIMD instructions (<c>-msimd128</c>), into a directory of their own.</param>
    public static string Run(bool simd)
    {
        string script = Path.Combine(RepositoryPaths.Root, "bench", "kernels", "build");
        string output = ExternalProcess.Run(script, simd ? ["--simd"] : []).Trim();
        string directory = output.Split('\n')[^1].Trim();
        if (!Directory.Exists(directory)) throw new BenchmarkException($"{script} printed '{output}', not the output directory");
        return directory;
    }
}
