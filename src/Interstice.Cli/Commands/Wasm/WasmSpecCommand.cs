using Interstice.Cli.Commands.Wasm.Spec;
using Interstice.Wasm;

namespace Interstice.Cli.Commands.Wasm;

/// <summary><c>interstice wasm spec</c>: runs the WebAssembly spec test suite (wast2json output) against the engine.</summary>
internal sealed class WasmSpecCommand : ICommand
{
    public string Name => "wasm spec";

    public string Summary => "Run WebAssembly spec test scripts (wast2json output) against the engine";

    public string Usage => """
        usage: interstice wasm spec [--fuel] [--canonicalize-nans] <script.json or directory>...

        Runs every command of each script (a directory means every *.json in it) and prints a line
        per script, its failures, then a total:
          spec: P passed, F failed, S skipped
        Commands are skipped only for modules in the text format. The exit code is 1 when any
        command failed.

          --fuel               compile with fuel metering (each instance gets ample fuel)
          --canonicalize-nans  compile with NaN canonicalisation
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, [], ["fuel", "canonicalize-nans"]);
        if (arguments.Positional.Count == 0) throw new UsageException("name at least one script or directory");
        var scripts = new List<string>();
        for (int i = 0; i < arguments.Positional.Count; i++)
        {
            string path = arguments.GetPositionalPath(i, "<script.json or directory>");
            try
            {
                scripts.AddRange(SpecRunner.FindScripts(path));
            }
            catch (FileNotFoundException e)
            {
                stderr.WriteLine($"interstice wasm spec: {e.Message}");
                return 2;
            }
        }

        var options = new EngineOptions
        {
            ConsumeFuel = arguments.Has("fuel"),
            CanonicalizeNaNs = arguments.Has("canonicalize-nans"),
            DefaultInstanceOptions = new InstanceOptions { Fuel = long.MaxValue / 2 },
        };
        var runner = new SpecRunner(stdout, options);
        foreach (string script in scripts) runner.RunScript(script);
        if (runner.Total.Skipped > 0) stdout.WriteLine($"skipped: {runner.Total.SkipReasons}");
        stdout.WriteLine($"spec: {runner.Total.Counts}");
        return runner.Total.Failed == 0 ? 0 : 1;
    }
}
