namespace Interstice.Bench.Support;

/// <summary>Locates the repository the benchmarks run from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The nearest directory above the working directory or the binaries that holds Interstice.slnx.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        }
        throw new BenchmarkException($"no Interstice.slnx above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}: run from the repository");
    }
}
