using System.Diagnostics;

namespace Interstice.Cli.Tests;

/// <summary>Paths of the repository and helpers to run the CLI and cargo from tests.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Where scripts/build-modules puts the example modules.</summary>
    public static string ExampleModule(string name)
    {
        string path = Path.Combine(Root, "artifacts", "modules", name + ".wasm");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: run scripts/build-modules (scripts/test does) before these tests", path);
        return path;
    }

    /// <summary>Runs the interstice command line in-process.</summary>
    public static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CommandLine.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// How long a CLI process may run before its test fails: a child that blocks must fail its
    /// test, not hang the whole run until CI gives up.
    /// </summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs the interstice command line as a process of its own (the dotnet host running the CLI
    /// assembly the tests reference, as <c>interstice</c> would), its stdin closed at once.
    /// </summary>
    public static Task<(int Exit, string Out, string Err)> CliProcess(params string[] args) =>
        CliProcess(new Dictionary<string, string>(), args);

    /// <summary>Runs the command line as a process of its own, with <paramref name="environment"/> added to this process's variables.</summary>
    public static Task<(int Exit, string Out, string Err)> CliProcess(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliProcess([], environment, ProcessTimeout, args);

    /// <summary>
    /// Runs the interstice command line as a process of its own (as the overload without
    /// <paramref name="launcher"/>), started through <paramref name="launcher"/>: a command and its
    /// arguments that run the rest of the command line (e.g. <c>setpriv ...</c>, <c>prlimit ...</c>).
    /// </summary>
    public static Task<(int Exit, string Out, string Err)> CliProcess(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliProcess(launcher, environment, ProcessTimeout, args);

    /// <summary>
    /// Runs the command line as a process of its own through <paramref name="launcher"/>; one still
    /// running after <paramref name="timeout"/> is killed with its children, and the test fails
    /// with a <see cref="TimeoutException"/> naming the command.
    /// </summary>
    public static async Task<(int Exit, string Out, string Err)> CliProcess(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, params string[] args)
    {
        using var process = StartCli(launcher, environment, args);
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var expiry = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(expiry.Token);
                return (process.ExitCode, await stdout.WaitAsync(expiry.Token), await stderr.WaitAsync(expiry.Token));
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException($"`interstice {string.Join(' ', args)}` (process {process.Id}) was still running after {timeout.TotalSeconds:0.###} s: killed with its children");
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Starts the interstice command line as a process of its own (as <see cref="CliProcess(IReadOnlyDictionary{string, string}, string[])"/>
    /// does) and leaves its stdin, stdout and stderr to the caller, for a test that talks to it
    /// while it runs; the caller must see it end (or kill it).
    /// </summary>
    public static Process StartCli(params string[] args) => StartCli([], new Dictionary<string, string>(), args);

    private static Process StartCli(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        if (launcher.Count > 0)
        {
            foreach (string arg in launcher.Skip(1)) start.ArgumentList.Add(arg);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "interstice.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    /// <summary>Runs scripts/cargo (offline, Debian's rustc with wasm32) in <paramref name="directory"/>.</summary>
    public static (int Exit, string Output) Cargo(string directory, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "scripts", "cargo"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"the repository root (with Interstice.slnx) is not above {AppContext.BaseDirectory}");
    }
}
