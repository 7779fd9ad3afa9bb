using System.Diagnostics;
using Interstice.Cli.Tests.TestSupport;
using Xunit.Abstractions;

namespace Interstice.Cli.Tests.Wasm;

/// <summary><c>interstice wasm spec</c>: the whole official suite passes, and failures are reported as failures.</summary>
public sealed class WasmSpecCommandTests(ITestOutputHelper output)
{
    private const string SuiteVariable = "INTERSTICE_WASM_TESTSUITE";

    /// <summary>$INTERSTICE_WASM_TESTSUITE, else ../shared/wasm-testsuite beside the repository (its json folder).</summary>
    private static string SuiteDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable(SuiteVariable);
        string root = configured is { Length: > 0 } ? configured : Path.Combine(RepositoryRoot(), "..", "shared", "wasm-testsuite");
        string json = Path.Combine(root, "json");
        string directory = Directory.Exists(json) ? json : root;
        if (!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.json").Any())
            Assert.Fail($"The WebAssembly spec test suite was not found at {Path.GetFullPath(directory)}: put wast2json output there or set {SuiteVariable}.");
        return Path.GetFullPath(directory);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no Interstice.slnx above " + AppContext.BaseDirectory);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <param name="options">Code generation options: the suite must pass with fuel metering and NaN canonicalisation compiled in too.</param>
    [Theory]
    [InlineData("")]
    [InlineData("--fuel --canonicalize-nans")]
    public void EveryCommandOfTheSuiteInTheBinaryFormatPasses(string options)
    {
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = Run(["wasm", "spec", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), SuiteDirectory()]);
        output.WriteLine($"spec suite ran in {clock.Elapsed.TotalSeconds:F1} s");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string summary = lines[^1];
        output.WriteLine(lines[^2]);
        output.WriteLine(summary);
        foreach (var failure in lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Take(50)) output.WriteLine(failure);
        Assert.Matches(@"^spec: \d+ passed, 0 failed, \d+ skipped$", summary);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        // Only text-format modules are skipped.
        Assert.Matches(@"^skipped: text-format \d+$", lines[^2]);
    }

    /// <summary>
    /// The SIMD helpers take a different path for each instruction set the JIT finds, so the
    /// simd_* scripts run again in a process that has the JIT ignore AVX-512, AVX and up, SSE3 and
    /// up (SSE2 only: no pshufb, pmaxsd, packusdw or roundps), or every hardware intrinsic (the
    /// portable code, as on a processor without SIMD support).
    /// </summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512")]
    [InlineData("DOTNET_EnableAVX")]
    [InlineData("DOTNET_EnableSSE42")]
    [InlineData("DOTNET_EnableHWIntrinsic")]
    public async Task TheSimdScriptsPassWithFewerInstructionSets(string disabled)
    {
        var scripts = Directory.GetFiles(SuiteDirectory(), "simd_*.json");
        Assert.NotEmpty(scripts);
        var (exit, stdout, stderr) = await Repository.CliProcess(new Dictionary<string, string> { [disabled] = "0" }, ["wasm", "spec", .. scripts]);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        output.WriteLine($"{disabled}=0: {lines[^1]}");
        foreach (var failure in lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Take(50)) output.WriteLine(failure);
        Assert.Equal("", stderr);
        Assert.Matches(@"^spec: [1-9]\d+ passed, 0 failed, \d+ skipped$", lines[^1]);
        Assert.Equal(0, exit);
    }

    // (module (func (export "f") (result i32) (i32.const 42)))
    private static readonly byte[] AnswerModule =
    [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
        0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B,
    ];

    [Fact]
    public void AWrongExpectationIsAFailureAndSetsTheExitCode()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-spec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "answer.0.wasm"), AnswerModule);
            File.WriteAllText(Path.Combine(directory, "answer.json"), """
                {"source_filename": "answer.wast", "commands": [
                  {"type": "module", "line": 1, "filename": "answer.0.wasm"},
                  {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "f", "args": []}, "expected": [{"type": "i32", "value": "42"}]},
                  {"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "f", "args": []}, "expected": [{"type": "i32", "value": "43"}]},
                  {"type": "assert_trap", "line": 4, "action": {"type": "invoke", "field": "f", "args": []}, "text": "unreachable", "expected": [{"type": "i32"}]},
                  {"type": "assert_malformed", "line": 5, "filename": "answer.1.wat", "text": "unexpected token", "module_type": "text"}
                ]}
                """);
            var (code, stdout, _) = Run("wasm", "spec", directory);
            Assert.Equal(1, code);
            Assert.Contains("answer.wast: 2 passed, 2 failed, 1 skipped", stdout);
            Assert.Contains("answer.wast:3: invoke \"f\"(): result 0: expected i32:43, got i32:42", stdout);
            Assert.Contains("answer.wast:4:", stdout);
            Assert.EndsWith("spec: 2 passed, 2 failed, 1 skipped" + Environment.NewLine, stdout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AMissingPathIsAnError()
    {
        var (code, _, stderr) = Run("wasm", "spec", "/no/such/suite");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/suite", stderr);
        Assert.Equal(2, Run("wasm", "spec").ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_script_path_is_a_usage_error(string blank)
    {
        CliAssert.UsageError(Repository.Cli("wasm", "spec", blank), "wasm spec", $"<script.json or directory> needs a path, not '{blank}'");
    }
}
