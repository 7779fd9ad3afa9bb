namespace Interstice.Core;

/// <summary>
/// A module could not be loaded (nothing it claimed stays claimed, no table it created stays). The
/// message names the module and lists every problem found; <see cref="Problems"/> holds them one by one.
/// </summary>
public sealed class ModuleLoadException : Exception
{
    public ModuleLoadException(string module, IReadOnlyList<string> problems)
        : base(problems.Count == 1
            ? $"cannot load module {module}: {problems[0]}"
            : $"cannot load module {module}:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}")
    {
        Module = module;
        Problems = problems;
    }

    /// <summary>The module's name, or the file or description of the binary when its name is unknown.</summary>
    public string Module { get; }

    public IReadOnlyList<string> Problems { get; }
}
