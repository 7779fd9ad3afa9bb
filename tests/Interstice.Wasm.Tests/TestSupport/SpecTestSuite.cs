namespace Interstice.Wasm.Tests.TestSupport;

/// <summary>
/// Finds the official spec test suite converted by wast2json: $INTERSTICE_WASM_TESTSUITE, else
/// ../shared/wasm-testsuite next to the repository. Either the directory holding the JSON
/// scripts or its parent (with a <c>json</c> folder) is accepted.
/// </summary>
internal static class SpecTestSuite
{
    public const string EnvironmentVariable = "INTERSTICE_WASM_TESTSUITE";

    /// <summary>The directory holding the <c>*.json</c> scripts; fails the test with directions when there is none.</summary>
    public static string JsonDirectory
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            string candidate = !string.IsNullOrEmpty(configured)
                ? configured
                : Path.Combine(RepositoryRoot, "..", "shared", "wasm-testsuite");
            string json = Path.Combine(candidate, "json");
            if (Directory.Exists(json)) return Path.GetFullPath(json);
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any()) return Path.GetFullPath(candidate);
            Assert.Fail($"The WebAssembly spec test suite was not found at {Path.GetFullPath(candidate)}. " +
                $"Put wast2json output there (a json/ folder) or set {EnvironmentVariable} to its directory.");
            return null!;
        }
    }

    /// <summary>Every script of the suite, sorted by name.</summary>
    public static string[] Scripts
    {
        get
        {
            var scripts = Directory.GetFiles(JsonDirectory, "*.json");
            Array.Sort(scripts, StringComparer.Ordinal);
            return scripts;
        }
    }

    /// <summary>The repository's root: the nearest directory above the test binaries holding Interstice.slnx.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
            }
            throw new InvalidOperationException($"no Interstice.slnx above {AppContext.BaseDirectory}");
        }
    }
}
