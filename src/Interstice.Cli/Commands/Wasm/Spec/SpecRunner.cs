using Interstice.Wasm;

namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>
/// Runs spec test scripts (wast2json output) against the engine: every command of a script in
/// order, each script with a fresh <c>spectest</c> module and fresh registrations. Commands are
/// skipped only for the reasons of <see cref="SpecTally"/>: SIMD (scripts named <c>simd_*</c>,
/// modules the decoder reports as using SIMD, v128 values) and text-format modules.
/// </summary>
internal sealed class SpecRunner(TextWriter output, EngineOptions? engineOptions = null)
{
    /// <summary>No single action of the suite runs this long; a hang is reported as a failure instead of stalling the run.</summary>
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(60);

    private const int FailuresShownPerScript = 20;

    private readonly Engine _engine = new(engineOptions);

    public SpecTally Total { get; } = new();

    /// <summary>The scripts a path names: the file itself, or every <c>*.json</c> in the directory, sorted.</summary>
    public static IReadOnlyList<string> FindScripts(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"no such file or directory: {path}");
        var scripts = Directory.GetFiles(path, "*.json");
        Array.Sort(scripts, StringComparer.Ordinal);
        return scripts;
    }

    /// <summary>Runs one script, prints its line (and its failures) and adds its counts to <see cref="Total"/>.</summary>
    public SpecTally RunScript(string path)
    {
        var tally = new SpecTally();
        string name = Path.GetFileName(path);
        try
        {
            var script = SpecScript.Load(path);
            name = script.SourceFileName;
            if (Path.GetFileName(script.SourceFileName).StartsWith("simd_", StringComparison.Ordinal))
            {
                foreach (var _ in script.Commands) tally.Skip(SpecTally.SimdReason);
            }
            else
            {
                using var run = new ScriptRun(_engine, script);
                foreach (var command in script.Commands)
                {
                    var outcome = run.Execute(command);
                    if (outcome.SkipReason is { } reason) tally.Skip(reason);
                    else if (outcome.Failure is { } failure) tally.Fail($"{script.SourceFileName}:{command.Line}: {failure}");
                    else tally.Pass();
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            tally.Fail($"{name}: cannot read the script: {e.Message}");
        }

        output.WriteLine($"{name}: {tally.Counts}");
        foreach (var failure in tally.Failures.Take(FailuresShownPerScript)) output.WriteLine("  FAIL " + failure);
        if (tally.Failed > FailuresShownPerScript) output.WriteLine($"  ... and {tally.Failed - FailuresShownPerScript} more failures");
        Total.Add(tally);
        return tally;
    }

    /// <summary>What happened to one command: passed (both null), failed, or skipped.</summary>
    private readonly record struct Outcome(string? Failure, string? SkipReason)
    {
        public static readonly Outcome Passed = new(null, null);
        public static Outcome Fail(string failure) => new(failure, null);
        public static Outcome Skip(string reason) => new(null, reason);
    }

    /// <summary>The state of one script: its linker, its instances by name, the current instance.</summary>
    private sealed class ScriptRun(Engine engine, SpecScript script) : IDisposable
    {
        private readonly Linker _linker = SpecHost.CreateLinker();
        private readonly SpecValues _values = new();
        private readonly Dictionary<string, ModuleSlot> _named = new(StringComparer.Ordinal);
        private readonly List<Instance> _instances = [];
        private ModuleSlot? _current;

        /// <summary>An instance, or why there is none (the module was skipped).</summary>
        private sealed record ModuleSlot(Instance? Instance, string? SkipReason);

        public Outcome Execute(SpecCommand command)
        {
            try
            {
                return command switch
                {
                    ModuleCommand module => LoadModule(module),
                    RegisterCommand register => Register(register),
                    ActionCommand action => Perform(action.Action, action.Expected, checkResults: false),
                    AssertReturnCommand assertion => Perform(assertion.Action, assertion.Expected, checkResults: true),
                    AssertTrapCommand assertion => ExpectTrap(assertion.Action, assertion.Text, exhaustion: false),
                    AssertExhaustionCommand assertion => ExpectTrap(assertion.Action, assertion.Text, exhaustion: true),
                    AssertMalformedCommand assertion => ExpectRejected<MalformedModuleException>(assertion),
                    AssertInvalidCommand assertion => ExpectRejected<InvalidModuleException>(assertion),
                    AssertUnlinkableCommand assertion => ExpectInstantiationFailure<LinkException>(assertion),
                    AssertUninstantiableCommand assertion => ExpectInstantiationFailure<TrapException>(assertion),
                    _ => Outcome.Fail($"unknown command {command.GetType().Name}"),
                };
            }
            catch (Exception e)
            {
                return Outcome.Fail($"{Describe(command)}: unexpected {e.GetType().Name}: {FirstLine(e.Message)}");
            }
        }

        private Outcome LoadModule(ModuleCommand command)
        {
            var slot = CompileAndInstantiate(command.FileName, command.ModuleType, out var failure);
            if (failure is not null) return Outcome.Fail($"module {command.FileName}: {failure}");
            _current = slot;
            if (command.Name is { } name) _named[name] = slot!;
            return slot!.SkipReason is { } reason ? Outcome.Skip(reason) : Outcome.Passed;
        }

        private ModuleSlot? CompileAndInstantiate(string fileName, SpecModuleType type, out string? failure)
        {
            failure = null;
            if (type == SpecModuleType.Text) return new ModuleSlot(null, SpecTally.TextFormatReason);
            Module module;
            try
            {
                module = engine.Compile(File.ReadAllBytes(script.GetModulePath(fileName)));
            }
            catch (UnsupportedFeatureException)
            {
                return new ModuleSlot(null, SpecTally.SimdReason);
            }
            var instance = _linker.Instantiate(module);
            _instances.Add(instance);
            return new ModuleSlot(instance, null);
        }

        private Outcome Register(RegisterCommand command)
        {
            var slot = command.Name is null ? _current : _named.GetValueOrDefault(command.Name);
            if (slot is null) return Outcome.Fail($"register: no module {command.Name ?? "(current)"}");
            if (slot.Instance is null) return Outcome.Skip(slot.SkipReason!);
            _linker.DefineInstance(command.As, slot.Instance);
            return Outcome.Passed;
        }

        private Outcome Perform(SpecAction action, IReadOnlyList<SpecValue> expected, bool checkResults)
        {
            var outcome = Run(action, out var results);
            if (outcome.Failure is not null || outcome.SkipReason is not null || !checkResults) return outcome;
            foreach (var value in expected)
                if (value.Type == SpecValueType.V128) return Outcome.Skip(SpecTally.SimdReason);
            if (results!.Length != expected.Count)
                return Outcome.Fail($"{Describe(action)}: {results.Length} results, expected {expected.Count}");
            for (int i = 0; i < results.Length; i++)
            {
                if (SpecValues.Mismatch(expected[i], results[i]) is { } mismatch)
                    return Outcome.Fail($"{Describe(action)}: result {i}: {mismatch}");
            }
            return Outcome.Passed;
        }

        private Outcome ExpectTrap(SpecAction action, string text, bool exhaustion)
        {
            try
            {
                var outcome = Run(action, out _);
                if (outcome.Failure is not null || outcome.SkipReason is not null) return outcome;
                return Outcome.Fail($"{Describe(action)}: returned, expected a trap \"{text}\"");
            }
            catch (TrapException trap)
            {
                if (exhaustion) return trap.Kind == TrapKind.CallStackExhausted ? Outcome.Passed : Outcome.Fail($"{Describe(action)}: trapped with \"{trap.Kind.ToSpecMessage()}\", expected call stack exhaustion");
                return TextMatches(trap.Kind.ToSpecMessage(), text) ? Outcome.Passed
                    : Outcome.Fail($"{Describe(action)}: trapped with \"{trap.Kind.ToSpecMessage()}\", expected \"{text}\"");
            }
        }

        /// <summary>Performs an action; results are null when it was skipped or failed.</summary>
        private Outcome Run(SpecAction action, out Value[]? results)
        {
            results = null;
            var slot = action.Module is null ? _current : _named.GetValueOrDefault(action.Module);
            if (slot is null) return Outcome.Fail($"{Describe(action)}: no module {action.Module ?? "(current)"}");
            if (slot.Instance is not { } instance) return Outcome.Skip(slot.SkipReason!);
            switch (action)
            {
                case InvokeAction invoke:
                    {
                        var function = instance.GetFunction(invoke.Field);
                        if (function is null) return Outcome.Fail($"{Describe(action)}: no such exported function");
                        var arguments = new Value[invoke.Args.Count];
                        for (int i = 0; i < arguments.Length; i++)
                        {
                            if (_values.ToValue(invoke.Args[i]) is not { } argument) return Outcome.Skip(SpecTally.SimdReason);
                            arguments[i] = argument;
                        }
                        using (instance.SetTimeout(ActionTimeout)) results = function.Invoke(arguments);
                        return Outcome.Passed;
                    }
                case GetAction get:
                    {
                        var global = instance.GetGlobal(get.Field);
                        if (global is null) return Outcome.Fail($"{Describe(action)}: no such exported global");
                        results = [global.Value];
                        return Outcome.Passed;
                    }
                default:
                    return Outcome.Fail($"unknown action {action.GetType().Name}");
            }
        }

        private Outcome ExpectRejected<TException>(ModuleAssertion assertion) where TException : WasmException
        {
            if (assertion.ModuleType == SpecModuleType.Text) return Outcome.Skip(SpecTally.TextFormatReason);
            try
            {
                engine.Compile(File.ReadAllBytes(script.GetModulePath(assertion.FileName)));
                return Outcome.Fail($"{Describe(assertion)}: the module was accepted, expected \"{assertion.Text}\"");
            }
            catch (UnsupportedFeatureException)
            {
                return Outcome.Skip(SpecTally.SimdReason);
            }
            catch (TException)
            {
                return Outcome.Passed;
            }
            catch (WasmException e)
            {
                return Outcome.Fail($"{Describe(assertion)}: rejected with {e.GetType().Name} \"{FirstLine(e.Message)}\", expected {typeof(TException).Name} \"{assertion.Text}\"");
            }
        }

        private Outcome ExpectInstantiationFailure<TException>(ModuleAssertion assertion) where TException : WasmException
        {
            try
            {
                var slot = CompileAndInstantiate(assertion.FileName, assertion.ModuleType, out var failure);
                if (failure is not null) return Outcome.Fail($"{Describe(assertion)}: {failure}");
                if (slot!.SkipReason is { } reason) return Outcome.Skip(reason);
                return Outcome.Fail($"{Describe(assertion)}: the module was instantiated, expected \"{assertion.Text}\"");
            }
            catch (TException e)
            {
                string message = e switch
                {
                    TrapException trap => trap.Kind.ToSpecMessage(),
                    LinkException link => link.Reason,
                    _ => e.Message,
                };
                return TextMatches(message, assertion.Text) ? Outcome.Passed
                    : Outcome.Fail($"{Describe(assertion)}: failed with \"{FirstLine(message)}\", expected \"{assertion.Text}\"");
            }
        }

        /// <summary>The suite's texts are sometimes longer or shorter than the engine's (e.g. "uninitialized element 2"): either may be a prefix of the other.</summary>
        private static bool TextMatches(string actual, string expected) =>
            actual.StartsWith(expected, StringComparison.Ordinal) || expected.StartsWith(actual, StringComparison.Ordinal);

        private static string Describe(SpecAction action) => action switch
        {
            InvokeAction invoke => $"invoke {action.Module ?? ""}{(action.Module is null ? "" : ".")}\"{action.Field}\"({string.Join(", ", invoke.Args.Select(a => a.Type.ToString().ToLowerInvariant()))})",
            _ => $"get {action.Module ?? ""}{(action.Module is null ? "" : ".")}\"{action.Field}\"",
        };

        private static string Describe(SpecCommand command) => command switch
        {
            ModuleAssertion assertion => $"{command.GetType().Name.Replace("Command", "")} {assertion.FileName}",
            ModuleCommand module => $"module {module.FileName}",
            _ => command.GetType().Name.Replace("Command", ""),
        };

        private static string FirstLine(string text)
        {
            int newline = text.IndexOf('\n');
            return newline < 0 ? text : text[..newline];
        }

        public void Dispose()
        {
            foreach (var instance in _instances) instance.Dispose();
        }
    }
}
