namespace Interstice.Core.Tests.Support;

/// <summary>The example modules that scripts/build-modules writes to artifacts/modules/ (scripts/test builds them first).</summary>
public static class ExampleModules
{
    private static readonly Dictionary<string, byte[]> Cache = [];

    public static string Root { get; } = FindRoot();

    /// <summary>The binary of example module <paramref name="name"/>.</summary>
    public static byte[] Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var cached)) return cached;
            return Cache[name] = File.ReadAllBytes(PathOf(name));
        }
    }

    /// <summary>Where example module <paramref name="name"/>'s binary is; throws <see cref="FileNotFoundException"/> when it was not built.</summary>
    public static string PathOf(string name)
    {
        string path = Path.Combine(Root, "artifacts", "modules", name + ".wasm");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: run scripts/build-modules (scripts/test does) before these tests", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"the repository root (with Interstice.slnx) is not above {AppContext.BaseDirectory}");
    }
}
