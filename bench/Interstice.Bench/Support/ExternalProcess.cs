using System.ComponentModel;
using System.Diagnostics;

namespace Interstice.Bench.Support;

/// <summary>Runs a tool the benchmarks depend on (clang, node) and returns its standard output.</summary>
internal static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> to completion, with <paramref name="environment"/> added to
    /// its environment; throws <see cref="BenchmarkException"/> with its stderr when it fails or is missing.
    /// </summary>
    public static string Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment != null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchmarkException($"could not start {program}");
        }
        catch (Win32Exception e)
        {
            throw new BenchmarkException($"cannot run {program}: {e.Message}");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new BenchmarkException($"{program} exited with code {process.ExitCode}:\n{stderr.Result.TrimEnd()}");
            return stdout;
        }
    }
}
