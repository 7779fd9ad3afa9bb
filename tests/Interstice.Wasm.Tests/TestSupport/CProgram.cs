using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>
/// Compiles the C test programs of Wasi/Programs to wasm32-wasi with Debian's clang-14 and
/// wasi-libc (installed by scripts/setup-deps). Binaries are cached in the test output directory,
/// keyed by a hash of the source, so each program compiles once.
/// </summary>
internal static class CProgram
{
    private static readonly Lock Gate = new();

    /// <summary>The wasm binary of Wasi/Programs/<paramref name="name"/>.c.</summary>
    public static byte[] Compile(string name)
    {
        string source = Path.Combine(SpecTestSuite.RepositoryRoot, "tests", "Interstice.Wasm.Tests", "Wasi", "Programs", name + ".c");
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source)))[..16];
        string cacheDirectory = Path.Combine(AppContext.BaseDirectory, "wasi-programs");
        string output = Path.Combine(cacheDirectory, $"{name}-{hash}.wasm");
        lock (Gate)
        {
            if (!File.Exists(output))
            {
                Directory.CreateDirectory(cacheDirectory);
                string temporary = output + "." + Environment.ProcessId + ".tmp";
                RunClang(source, temporary);
                File.Move(temporary, output, overwrite: true);
            }
        }
        return File.ReadAllBytes(output);
    }

    private static void RunClang(string source, string output)
    {
        var start = new ProcessStartInfo("clang-14")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", source, "-o", output })
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start clang-14");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("clang-14 was not found: install clang-14, lld-14 and wasi-libc (scripts/setup-deps does)", e);
        }
        using var _ = process;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"clang-14 failed to compile {source}:\n{stderr.Result}");
    }
}
