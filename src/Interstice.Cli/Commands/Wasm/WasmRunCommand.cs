using Interstice.Cli.Commands.Wasm.Run;
using Interstice.Wasm;
using Interstice.Wasm.Wasi;

namespace Interstice.Cli.Commands.Wasm;

/// <summary>
/// <c>interstice wasm run</c>: runs a WASI command (its <c>_start</c>), or one exported function
/// with <c>--invoke</c>, like <c>wasmtime run</c>. Guest code runs on a thread with a large
/// stack (<see cref="GuestThread"/>); the program's output and exit code pass through; traps,
/// exhausted limits and load failures are reported in one line (plus the WebAssembly backtrace).
/// </summary>
internal sealed class WasmRunCommand : ICommand
{
    private const string Command = "interstice wasm run";

    private readonly Stream? _standardInput;

    public WasmRunCommand() { }

    /// <summary>For running in-process: the program reads <paramref name="standardInput"/> instead of this process's stdin.</summary>
    internal WasmRunCommand(Stream standardInput) => _standardInput = standardInput;

    public string Name => "wasm run";

    public string Summary => "Run a WebAssembly program: a WASI command, or one exported function";

    public string Usage => """
        usage: interstice wasm run [options] <program.wasm> [arguments...]
               interstice wasm run [options] --invoke <name> <module.wasm> [values...]

        Runs a WASI command (its _start export) with the arguments after the file name, the
        program's standard streams connected to this process's. With --invoke, calls the export
        <name> instead (after _initialize, if exported), with the values parsed by its parameter
        types, and prints its results one per line.

          --invoke NAME         call the exported function NAME
          --dir HOST[::GUEST]   let the program use directory HOST, which it sees as GUEST
                                (default: the same path); repeatable
          --env NAME[=VALUE]    set an environment variable (NAME alone: this process's value); repeatable
          --fuel N              trap after N units of fuel (about one per instruction executed)
          --timeout SECONDS     trap when the program runs longer than this
          --max-memory BYTES    cap each memory at this size (whole 64 KiB pages); growing past it fails

        Exit codes: the program's own (0 when _start returns, or the code given to proc_exit);
          134  the program trapped (out of fuel and stack exhaustion included): the trap and the
               WebAssembly backtrace are printed on stderr
          124  --timeout expired
            1  the file could not be read, or the module compiled, linked or instantiated
            2  wrong command line
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["fuel", "timeout", "max-memory", "invoke"], [],
            stopAtFirstPositional: true, repeatableOptions: ["dir", "env"]);
        if (arguments.Positional.Count == 0) throw new UsageException("name the .wasm file to run");
        string path = arguments.GetPositionalPath(0, "<program.wasm>");
        var programArguments = arguments.Positional.Skip(1).ToArray();
        long? fuel = arguments.GetInt64("fuel", 0);
        double? timeoutSeconds = arguments.GetDouble("timeout", 0.001, 1e7);
        long? maxMemory = arguments.GetInt64("max-memory", 0, (long)MemoryType.MaxPages * MemoryType.PageSize);
        string? invoke = arguments.Get("invoke");
        var directories = ParseDirectories(arguments.GetAll("dir"));
        var environment = ParseEnvironment(arguments.GetAll("env"));

        if (Directory.Exists(path)) return Fail(stderr, $"cannot read {path}: it is a directory", RunExitCodes.LoadFailed);
        byte[] wasm;
        try
        {
            wasm = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, $"cannot read {path}: {Describe(e)}", RunExitCodes.LoadFailed);
        }

        Module module;
        try
        {
            module = new Engine(new EngineOptions { ConsumeFuel = fuel is not null }).Compile(wasm);
        }
        catch (WasmException e)
        {
            return Fail(stderr, $"{path}: {e.Message}", RunExitCodes.LoadFailed);
        }

        Value[]? invokeArguments = invoke is null ? null : ParseInvokeArguments(module, path, invoke, programArguments);

        using var cancellation = new CancellationTokenSource();
        var configuration = new WasiConfiguration
        {
            StandardInput = _standardInput ?? Console.OpenStandardInput(),
            StandardOutput = ReferenceEquals(stdout, Console.Out) ? Console.OpenStandardOutput() : new TextWriterStream(stdout),
            StandardError = ReferenceEquals(stderr, Console.Error) ? Console.OpenStandardError() : new TextWriterStream(stderr),
            Cancellation = cancellation.Token,
        };
        configuration.Arguments.Add(path);
        configuration.Arguments.AddRange(programArguments);
        configuration.EnvironmentVariables.AddRange(environment);
        configuration.PreopenedDirectories.AddRange(directories);

        var linker = new Linker();
        WasiContext wasi;
        try
        {
            wasi = linker.DefineWasi(configuration);
        }
        catch (DirectoryNotFoundException e)
        {
            return Fail(stderr, $"--dir: {e.Message}", RunExitCodes.LoadFailed);
        }

        using (wasi)
        {
            var instanceOptions = new InstanceOptions
            {
                Fuel = fuel ?? 0,
                MaxMemoryPages = maxMemory is { } bytes ? (uint)(bytes / MemoryType.PageSize) : null,
            };
            int exitCode = 0;
            var failure = GuestThread.Run(() =>
            {
                using var instance = linker.Instantiate(module, instanceOptions);
                // One timer for the deadline: the cancellation (which also ends WASI sleeps) interrupts
                // the instance, so a run it ends always finds the cancellation requested.
                using var interrupt = cancellation.Token.Register(instance.Interrupt);
                if (timeoutSeconds is { } seconds) cancellation.CancelAfter(TimeSpan.FromSeconds(seconds));
                exitCode = invoke is null ? RunCommand(wasi, instance, path) : Invoke(instance, invoke, invokeArguments!, stdout);
            });
            configuration.StandardOutput.Flush();
            configuration.StandardError.Flush();

            if (cancellation.IsCancellationRequested)
                return Fail(stderr, $"{path}: timed out after {timeoutSeconds} s" + (failure is TrapException trap ? $"\n{trap.Message}" : ""), RunExitCodes.TimedOut);
            return failure switch
            {
                null => exitCode,
                WasiExitException exit => exit.ExitCode,
                TrapException trap => Fail(stderr, $"{path}: {trap.Message}", RunExitCodes.Trapped),
                MissingStartException missing => Fail(stderr, missing.Message, RunExitCodes.LoadFailed),
                WasmException e => Fail(stderr, $"{path}: {e.Message}", RunExitCodes.LoadFailed),
                _ => Fail(stderr, $"{path}: internal error: {failure.GetType().Name}: {failure.Message}", RunExitCodes.LoadFailed),
            };
        }
    }

    private static int RunCommand(WasiContext wasi, Instance instance, string path)
    {
        var start = instance.GetFunction("_start");
        if (start is null || start.Type.Parameters.Length != 0 || start.Type.Results.Length != 0)
            throw new MissingStartException($"{path} is not a WASI command: it exports no function _start of type [] -> [] (use --invoke NAME to call a function)");
        return wasi.RunCommand(instance);
    }

    private static int Invoke(Instance instance, string name, Value[] arguments, TextWriter stdout)
    {
        if (instance.GetFunction("_initialize") is { Type: { Parameters.Length: 0, Results.Length: 0 } } initialize) initialize.Invoke();
        var function = instance.GetFunction(name)!;
        foreach (var result in function.Invoke(arguments)) stdout.WriteLine(InvokeValues.Format(result));
        stdout.Flush();
        return 0;
    }

    /// <summary>Checks the export and parses the values by its parameter types, before anything runs.</summary>
    private static Value[] ParseInvokeArguments(Module module, string path, string name, string[] values)
    {
        var export = module.Exports.FirstOrDefault(e => e.Name == name);
        if (export?.Function is not { } type)
        {
            var functions = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToArray();
            throw new UsageException($"{path} exports no function named '{name}' (it exports {(functions.Length == 0 ? "no functions" : string.Join(", ", functions))})");
        }
        if (values.Length != type.Parameters.Length)
            throw new UsageException($"{name} takes {type.Parameters.Length} argument(s) {type}, not {values.Length}");
        var arguments = new Value[values.Length];
        for (int i = 0; i < values.Length; i++) arguments[i] = InvokeValues.Parse(values[i], type.Parameters[i], $"argument {i + 1} of {name}");
        return arguments;
    }

    private static List<WasiPreopenedDirectory> ParseDirectories(IReadOnlyList<string> values)
    {
        var directories = new List<WasiPreopenedDirectory>();
        foreach (string value in values)
        {
            int separator = value.IndexOf("::", StringComparison.Ordinal);
            string host = separator < 0 ? value : value[..separator];
            string guest = separator < 0 ? value : value[(separator + 2)..];
            if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(guest)) throw new UsageException($"--dir needs HOST or HOST::GUEST, not '{value}'");
            directories.Add(new WasiPreopenedDirectory(host, guest));
        }
        return directories;
    }

    private static List<KeyValuePair<string, string>> ParseEnvironment(IReadOnlyList<string> values)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            string name = equals < 0 ? value : value[..equals];
            if (name.Length == 0) throw new UsageException($"--env needs NAME=VALUE or NAME, not '{value}'");
            if (equals >= 0) variables.Add(new(name, value[(equals + 1)..]));
            else if (Environment.GetEnvironmentVariable(name) is { } inherited) variables.Add(new(name, inherited));
        }
        return variables;
    }

    private static int Fail(TextWriter stderr, string message, int exitCode)
    {
        stderr.WriteLine($"{Command}: {message}");
        stderr.Flush();
        return exitCode;
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    /// <summary>The module runs as a command but has no <c>_start</c>.</summary>
    private sealed class MissingStartException(string message) : Exception(message);
}
