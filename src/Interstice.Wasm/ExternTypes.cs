namespace Interstice.Wasm;

/// <summary>The kind of an import or export. Values are the binary-format codes.</summary>
public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}

/// <summary>A table's element type (a reference type) and limits.</summary>
public sealed record TableType(ValueType ElementType, Limits Limits);

/// <summary>A linear memory's limits, in 64 KiB pages.</summary>
public sealed record MemoryType(Limits Limits)
{
    public const int PageSize = 65536;

    /// <summary>The most pages a 32-bit memory can have (4 GiB).</summary>
    public const uint MaxPages = 65536;
}

/// <summary>A global's value type and mutability.</summary>
public readonly record struct GlobalType(ValueType ValueType, bool Mutable);
