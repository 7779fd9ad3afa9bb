namespace Interstice.Abi.Tests;

/// <summary>Finds files of the repository (the golden vectors, built example modules) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Vectors(string name) => Path.Combine(Root, "abi", "vectors", name);

    /// <summary>Reads a hex file: whitespace and lines starting with '#' are ignored.</summary>
    public static byte[] ReadHex(string path)
    {
        var digits = new System.Text.StringBuilder();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.TrimStart().StartsWith('#')) continue;
            foreach (char c in line)
            {
                if (!char.IsWhiteSpace(c)) digits.Append(c);
            }
        }
        return Convert.FromHexString(digits.ToString());
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
