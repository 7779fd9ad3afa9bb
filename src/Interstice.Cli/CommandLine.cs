using Interstice.Core.Durability.Recovery;

namespace Interstice.Cli;

/// <summary>
/// Finds the command named by the first words of the command line and runs it. Exit codes: 0 when
/// the command did what it was asked, 1 when it failed (or found damage), 2 when the command line
/// is wrong. A command reports what it expects to go wrong itself; a file that cannot be read or
/// written (<see cref="IOException"/>, which includes the durability layer's own
/// <c>CorruptDataException</c>, <c>CommitLogFailedException</c> and
/// <c>DataDirectoryInUseException</c>; <see cref="UnauthorizedAccessException"/>) or a data
/// directory that cannot be restored (<see cref="RecoveryException"/>) that reaches this far is
/// reported here on one line, its message naming the file, with exit code 1.
/// </summary>
internal static class CommandLine
{
    /// <summary>Every command, in the order <c>interstice --help</c> lists them.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } = DiscoverCommands();

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintCommandList(args.Count == 0 ? stderr : stdout);
            return args.Count == 0 ? 2 : 0;
        }
        if (args[0] == "--version")
        {
            stdout.WriteLine(typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            return 0;
        }

        ICommand? command = null;
        int wordCount = 0;
        foreach (var candidate in Commands)
        {
            string[] words = candidate.Name.Split(' ');
            if (words.Length > wordCount && words.Length <= args.Count && words.AsSpan().SequenceEqual(args.Take(words.Length).ToArray()))
            {
                command = candidate;
                wordCount = words.Length;
            }
        }
        if (command is null)
        {
            stderr.WriteLine($"interstice: unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))}'");
            PrintCommandList(stderr);
            return 2;
        }

        var rest = args.Skip(wordCount).ToArray();
        if (rest is ["--help" or "-h"])
        {
            stdout.WriteLine(command.Usage);
            return 0;
        }
        try
        {
            return command.Run(rest, stdout, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"interstice {command.Name}: {e.Message}");
            stderr.WriteLine(command.Usage);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RecoveryException)
        {
            // A refused start's message carries names read from the data directory (no command
            // lets one reach here today: each reports its own; this is the last line of defence).
            new ControlEscapingWriter(stderr).WriteLine($"interstice {command.Name}: {e.Message}");
            return 1;
        }
    }

    private static void PrintCommandList(TextWriter writer)
    {
        writer.WriteLine("usage: interstice <command> [options]   (interstice <command> --help for details)");
        writer.WriteLine();
        int width = Commands.Count == 0 ? 0 : Commands.Max(c => c.Name.Length);
        foreach (var command in Commands) writer.WriteLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        writer.WriteLine();
        writer.WriteLine("exit codes: 0 done, 1 failed (or damage found), 2 wrong command line (wasm run: see its --help)");
    }

    private static IReadOnlyList<ICommand> DiscoverCommands() =>
        typeof(CommandLine).Assembly.GetTypes()
            .Where(t => typeof(ICommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICommand)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
}
