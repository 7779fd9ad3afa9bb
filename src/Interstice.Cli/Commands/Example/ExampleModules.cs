namespace Interstice.Cli.Commands.Example;

/// <summary>
/// The example modules shipped inside the CLI (src/Interstice.Cli/Examples/*.wasm, built from
/// modules/ by scripts/build-modules and copied there; a test checks that they still match).
/// </summary>
internal static class ExampleModules
{
    /// <summary>The names of the shipped modules.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(ExampleModules).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("Examples.", StringComparison.Ordinal) && n.EndsWith(".wasm", StringComparison.Ordinal))
        .Select(n => n["Examples.".Length..^".wasm".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The binary of shipped module <paramref name="name"/>.</summary>
    public static byte[] Load(string name)
    {
        using var stream = typeof(ExampleModules).Assembly.GetManifestResourceStream($"Examples.{name}.wasm")
            ?? throw new InvalidOperationException($"the CLI ships no example module named {name}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
