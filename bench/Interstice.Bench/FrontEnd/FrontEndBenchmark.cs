using System.Diagnostics;
using Interstice.Wasm;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Validation;

namespace Interstice.Bench.FrontEnd;

/// <summary>
/// Times the engine's front end: decoding (with its well-formedness scan of every body) and
/// validation, separately, over a corpus of modules. Reports throughput in MB of function-body
/// bytes per second (custom sections such as debug info would make whole-file figures
/// meaningless) and in modules per second, and the bytes allocated per module.
/// </summary>
internal static class FrontEndBenchmark
{
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(3);

    public static int Run(string[] files)
    {
        List<(string Name, byte[] Bytes)> corpus = files.Length > 0 ? LoadFiles(files) : LoadSpecSuite();
        if (corpus.Count == 0)
        {
            Console.Error.WriteLine("frontend: no modules to measure (give .wasm files, or put the spec suite at ../shared/wasm-testsuite)");
            return 1;
        }
        long totalBytes = 0, codeBytes = 0;
        foreach (var (_, bytes) in corpus)
        {
            totalBytes += bytes.Length;
            foreach (var body in ModuleDecoder.Decode(bytes).Bodies) codeBytes += body.CodeLength;
        }
        Console.WriteLine($"corpus: {corpus.Count} modules, {totalBytes / 1024.0:F0} KiB ({codeBytes / 1024.0:F0} KiB of instructions)");

        var decoded = new ModuleDefinition[corpus.Count];
        Measure("decode", corpus, codeBytes, i => decoded[i] = ModuleDecoder.Decode(corpus[i].Bytes));
        Measure("validate", corpus, codeBytes, i => ModuleValidator.Validate(decoded[i]));
        Measure("decode+validate", corpus, codeBytes, i => ModuleValidator.Validate(ModuleDecoder.Decode(corpus[i].Bytes)));
        return 0;
    }

    private static void Measure(string name, List<(string Name, byte[] Bytes)> corpus, long codeBytes, Action<int> step)
    {
        // Warm up so that the JIT has produced optimised code before timing.
        for (int round = 0; round < 3; round++)
            for (int i = 0; i < corpus.Count; i++) step(i);

        int rounds = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < MeasureFor)
        {
            for (int i = 0; i < corpus.Count; i++) step(i);
            rounds++;
        }
        watch.Stop();
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        double seconds = watch.Elapsed.TotalSeconds;
        double work = codeBytes * (double)rounds / 1e6;
        // CPU time is reported too: on a shared machine it is the steadier measure of a single-threaded loop.
        Console.WriteLine(
            $"{name,-16} {work / seconds,8:F1} MB/s of instructions ({work / cpuSeconds,6:F1} per CPU second)  " +
            $"{corpus.Count * (double)rounds / seconds,9:F0} modules/s  {allocated / ((double)rounds * corpus.Count),9:F0} B allocated/module");
    }

    private static List<(string, byte[])> LoadFiles(string[] files)
    {
        var corpus = new List<(string, byte[])>();
        foreach (string file in files)
        {
            var bytes = File.ReadAllBytes(file);
            if (Accepts(bytes, file)) corpus.Add((file, bytes));
        }
        return corpus;
    }

    /// <summary>The spec suite's binary modules that decode and validate (the others are rejected by design), SIMD excluded.</summary>
    private static List<(string, byte[])> LoadSpecSuite()
    {
        var corpus = new List<(string, byte[])>();
        string? directory = FindSpecSuite();
        if (directory is null) return corpus;
        foreach (string file in Directory.GetFiles(directory, "*.wasm").OrderBy(f => f, StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            if (Accepts(bytes, null)) corpus.Add((file, bytes));
        }
        return corpus;
    }

    private static bool Accepts(byte[] bytes, string? reportAs)
    {
        try
        {
            ModuleValidator.Validate(ModuleDecoder.Decode(bytes));
            return true;
        }
        catch (WasmException e)
        {
            if (reportAs is not null) Console.Error.WriteLine($"frontend: skipping {reportAs}: {e.Message}");
            return false;
        }
    }

    private static string? FindSpecSuite()
    {
        string? configured = Environment.GetEnvironmentVariable("INTERSTICE_WASM_TESTSUITE");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(configured)) candidates.Add(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx")))
            {
                candidates.Add(Path.Combine(dir.FullName, "..", "shared", "wasm-testsuite"));
                break;
            }
        }
        foreach (string candidate in candidates)
        {
            if (Directory.Exists(Path.Combine(candidate, "json"))) return Path.Combine(candidate, "json");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
