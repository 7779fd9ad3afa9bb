using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>
/// Compiles the test programs of Wasi/Programs to wasm32-wasi: C with Debian's clang-14 and
/// wasi-libc, Rust with Debian's rustc and its wasm32-wasi standard library (all installed by
/// scripts/setup-deps). Binaries are cached in the test output directory, keyed by a hash of the
/// source, so each program compiles once.
/// </summary>
internal static class WasiPrograms
{
    private static readonly Lock Gate = new();

    /// <summary>The wasm binary of Wasi/Programs/<paramref name="fileName"/> (<c>.c</c> or <c>.rs</c>).</summary>
    public static byte[] Compile(string fileName)
    {
        string source = Path.Combine(SpecTestSuite.RepositoryRoot, "tests", "Interstice.Wasm.Tests", "Wasi", "Programs", fileName);
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source)))[..16];
        string cacheDirectory = Path.Combine(AppContext.BaseDirectory, "wasi-programs");
        string output = Path.Combine(cacheDirectory, $"{Path.GetFileNameWithoutExtension(fileName)}-{hash}.wasm");
        lock (Gate)
        {
            if (!File.Exists(output))
            {
                Directory.CreateDirectory(cacheDirectory);
                string temporary = output + "." + Environment.ProcessId + ".tmp";
                if (Path.GetExtension(fileName) == ".rs")
                    Run("/usr/bin/rustc", "Debian's rustc and libstd-rust-dev-wasm32", "--target", "wasm32-wasi", "-O", "--edition", "2021", source, "-o", temporary);
                else
                    Run("clang-14", "clang-14, lld-14 and wasi-libc", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", source, "-o", temporary);
                File.Move(temporary, output, overwrite: true);
            }
        }
        return File.ReadAllBytes(output);
    }

    private static void Run(string compiler, string packages, params string[] arguments)
    {
        var start = new ProcessStartInfo(compiler)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {compiler}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{compiler} was not found: install {packages} (scripts/setup-deps does)", e);
        }
        using var _ = process;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"{compiler} failed to compile {arguments[^3]}:\n{stderr.Result}");
    }
}
