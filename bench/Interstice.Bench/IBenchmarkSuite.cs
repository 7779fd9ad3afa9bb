namespace Interstice.Bench;

/// <summary>One benchmark suite, selected by name on the command line (<c>dotnet run ... -- NAME</c>).</summary>
internal interface IBenchmarkSuite
{
    /// <summary>The word that selects the suite, e.g. <c>wasm</c>.</summary>
    string Name { get; }

    /// <summary>One line for the suite list.</summary>
    string Summary { get; }

    /// <summary>The options the suite takes, printed by <c>--help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs the suite with the arguments after its name; returns the process exit code.</summary>
    int Run(IReadOnlyList<string> args, TextWriter output);
}
