namespace Interstice.Wasm;

/// <summary>
/// One import of a module: the two-level name and the type the provided item must match.
/// Exactly one of <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or
/// <see cref="Global"/> is set, according to <see cref="Kind"/>.
/// </summary>
public sealed record ImportDescriptor(
    string Module,
    string Name,
    ExternalKind Kind,
    FunctionType? Function = null,
    TableType? Table = null,
    MemoryType? Memory = null,
    GlobalType? Global = null)
{
    public override string ToString() => $"{Module}.{Name} ({Kind.ToString().ToLowerInvariant()})";
}

/// <summary>One export of a module: its name, kind and index in that kind's index space.</summary>
public sealed record ExportDescriptor(string Name, ExternalKind Kind, int Index);
