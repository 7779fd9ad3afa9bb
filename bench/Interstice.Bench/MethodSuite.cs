namespace Interstice.Bench;

/// <summary>A suite written as a static method taking the arguments after its name and returning the exit code.</summary>
internal sealed class MethodSuite(string name, string summary, string usage, Func<string[], int> run) : IBenchmarkSuite
{
    public string Name => name;

    public string Summary => summary;

    public string Usage => usage;

    public int Run(IReadOnlyList<string> args, TextWriter output) => run([.. args]);
}
