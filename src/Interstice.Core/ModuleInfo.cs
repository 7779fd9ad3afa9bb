using Interstice.Abi.Schema;

namespace Interstice.Core;

/// <summary>A module loaded on a node.</summary>
/// <param name="Name">The module's name (from its schema).</param>
/// <param name="Version">Its semantic version.</param>
/// <param name="ContentHash">SHA-256 of its binary, lowercase hex: with the name, what identifies it.</param>
/// <param name="Schema">Its schema.</param>
public sealed record ModuleInfo(string Name, string Version, string ContentHash, ModuleSchema Schema)
{
    public override string ToString() => $"{Name} {Version} ({ContentHash[..12]})";
}
