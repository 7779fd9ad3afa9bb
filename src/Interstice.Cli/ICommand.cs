namespace Interstice.Cli;

/// <summary>One command of the <c>interstice</c> tool, e.g. <c>wasm run</c>.</summary>
internal interface ICommand
{
    /// <summary>The words that select the command, e.g. <c>"wasm run"</c>.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The usage text printed by <c>--help</c> and on wrong arguments.</summary>
    string Usage { get; }

    /// <summary>
    /// Runs the command with the arguments after its name (parse them with
    /// <see cref="CommandArguments.Parse"/>); returns the process exit code. Throw
    /// <see cref="UsageException"/> for a wrong command line.
    /// </summary>
    int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr);
}
