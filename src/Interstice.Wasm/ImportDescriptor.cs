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

/// <summary>
/// One export of a module: its name, kind and index in that kind's index space. The exported
/// item's type is set (in the property matching <see cref="Kind"/>) on the descriptors that
/// <see cref="Module.Exports"/> returns.
/// </summary>
public sealed record ExportDescriptor(string Name, ExternalKind Kind, int Index)
{
    public FunctionType? Function { get; init; }
    public TableType? Table { get; init; }
    public MemoryType? Memory { get; init; }
    public GlobalType? Global { get; init; }

    public override string ToString() => $"{Name} ({Kind.ToString().ToLowerInvariant()} {Index})";
}
