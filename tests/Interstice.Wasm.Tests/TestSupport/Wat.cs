using System.Diagnostics;

namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>Converts WebAssembly text to binary with wabt's <c>wat2wasm</c> (installed by scripts/setup-deps).</summary>
internal static class Wat
{
    /// <summary>The binary for the module text; fails the test with wat2wasm's message when the text does not assemble.</summary>
    /// <param name="wat">The module in the text format.</param>
    /// <param name="extraArguments">Extra wat2wasm options, e.g. <c>--debug-names</c> or <c>--no-check</c>.</param>
    public static byte[] ToWasm(string wat, params string[] extraArguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-wat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string input = Path.Combine(directory, "module.wat");
            string output = Path.Combine(directory, "module.wasm");
            File.WriteAllText(input, wat);
            var start = new ProcessStartInfo("wat2wasm")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(input);
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(output);
            foreach (var argument in extraArguments) start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("could not start wat2wasm");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("wat2wasm was not found: install wabt (scripts/setup-deps does)", e);
            }
            using var _ = process;
            string stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) Assert.Fail($"wat2wasm failed:\n{stderr}\n--- module ---\n{wat}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
