using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Interstice.Abi.Schema;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Cli.Tests.TestSupport;

/// <summary>
/// Builds test modules into files in the test output directory: C with clang-14 for wasm32-wasi,
/// WebAssembly text with wat2wasm (both installed by scripts/setup-deps). Each distinct source
/// is built once, under a name derived from its hash.
/// </summary>
internal static class WasmBuilds
{
    private static readonly Lock Gate = new();

    /// <summary>The path of the wasm32-wasi binary of C program <paramref name="source"/>.</summary>
    public static string FromC(string source) =>
        Build(source, ".c", (input, output) => Run("clang-14", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", input, "-o", output));

    /// <summary>The path of the binary of module text <paramref name="wat"/>.</summary>
    public static string FromWat(string wat) =>
        Build(wat, ".wat", (input, output) => Run("wat2wasm", input, "-o", output, "--debug-names"));

    /// <summary>
    /// A module with no code of its own (a memory and the allocator exports the node checks for)
    /// that declares <paramref name="schemaJson"/> (the schema's JSON form) in its schema section.
    /// </summary>
    public static byte[] CodelessModule(string schemaJson)
    {
        byte[] wasm = File.ReadAllBytes(FromWat("""
            (module
              (memory (export "memory") 1)
              (func (export "interstice_alloc") (param i32 i32) (result i32) (i32.const 1024))
              (func (export "interstice_free") (param i32 i32 i32)))
            """));
        var schema = SchemaJson.Parse(schemaJson);
        return [.. wasm, .. Bytes.CustomSection(SchemaRecords.SectionName, SchemaRecords.Encode(schema))];
    }

    private static string Build(string source, string extension, Action<string, string> build)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
        string directory = Path.Combine(AppContext.BaseDirectory, "test-modules");
        string output = Path.Combine(directory, hash + ".wasm");
        lock (Gate)
        {
            if (File.Exists(output)) return output;
            Directory.CreateDirectory(directory);
            string input = Path.Combine(directory, hash + extension);
            File.WriteAllText(input, source);
            string temporary = output + ".tmp";
            build(input, temporary);
            File.Move(temporary, output, overwrite: true);
            return output;
        }
    }

    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} was not found: run scripts/setup-deps", e);
        }
        using var _ = process;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Assert.Fail($"{tool} failed:\n{stderr.Result}");
    }
}
