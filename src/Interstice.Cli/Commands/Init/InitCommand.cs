using Interstice.Abi.Schema;

namespace Interstice.Cli.Commands.Init;

/// <summary><c>interstice init</c>: scaffolds a Rust module project that builds as it is.</summary>
internal sealed class InitCommand : ICommand
{
    private const string SdkCrate = "sdk/rust/interstice-sdk";

    public string Name => "init";

    public string Summary => "Create a Rust module project (Cargo.toml, wasm32 target config, an example)";

    public string Usage => $"""
        usage: interstice init <name> [--path DIR] [--sdk DIR]

        Creates a module project named <name> in DIR (default: ./<name>): Cargo.toml (a cdylib
        depending on interstice-sdk), .cargo/config.toml (target wasm32-unknown-unknown) and
        src/lib.rs (a table, reducers and a query). Build it with `cargo build --release` in DIR.
          <name>     the module's name: letters, digits, '_' and '-', starting with a letter
          --path DIR where to create the project; it must not exist or be empty
          --sdk DIR  the interstice-sdk crate (default: {SdkCrate} of the Interstice checkout
                     this command runs from, or above the current directory)
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["path", "sdk"], []);
        if (arguments.Positional.Count != 1) throw new UsageException("name exactly one module");
        string name = arguments.Positional[0];
        if (!Names.IsModuleName(name))
            throw new UsageException($"'{name}' is not a module name: use letters, digits, '_' and '-', starting with a letter (at most {Names.MaxLength})");

        string directory = Path.GetFullPath(arguments.GetPath("path") ?? name);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            stderr.WriteLine($"interstice init: {directory} exists and is not empty; choose another --path");
            return 1;
        }
        if (File.Exists(directory))
        {
            stderr.WriteLine($"interstice init: {directory} is a file; choose another --path");
            return 1;
        }

        string? sdk = arguments.GetPath("sdk") is { } given ? Path.GetFullPath(given) : FindSdk();
        if (sdk is null || !File.Exists(Path.Combine(sdk, "Cargo.toml")))
        {
            stderr.WriteLine(sdk is null
                ? $"interstice init: cannot find the Rust SDK ({SdkCrate}) above {AppContext.BaseDirectory} or the current directory; pass --sdk DIR"
                : $"interstice init: {sdk} has no Cargo.toml: --sdk must name the interstice-sdk crate directory");
            return 1;
        }

        try
        {
            foreach (var (path, content) in ModuleTemplate.Files(name, sdk))
            {
                string file = Path.Combine(directory, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice init: cannot write the project in {directory}: {e.Message}");
            return 1;
        }

        stdout.WriteLine($"created module '{name}' in {directory}");
        stdout.WriteLine($"build it:   cd {directory} && cargo build --release");
        stdout.WriteLine($"inspect it: interstice schema {Path.Combine(directory, "target", "wasm32-unknown-unknown", "release", name.Replace('-', '_') + ".wasm")}");
        return 0;
    }

    private static string? FindSdk()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, SdkCrate);
                if (File.Exists(Path.Combine(candidate, "Cargo.toml"))) return candidate;
            }
        }
        return null;
    }
}
