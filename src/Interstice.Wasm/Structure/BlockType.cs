namespace Interstice.Wasm.Structure;

/// <summary>
/// The type of a <c>block</c>, <c>loop</c> or <c>if</c> (spec 5.4.1): no parameters and either no
/// result, one result of a value type, or the parameters and results of a function type given by
/// its index (multi-value).
/// </summary>
internal readonly struct BlockType
{
    private BlockType(BlockTypeKind kind, ValueType result, uint typeIndex)
    {
        Kind = kind;
        Result = result;
        TypeIndex = typeIndex;
    }

    public static BlockType Empty => default;

    public static BlockType OfResult(ValueType result) => new(BlockTypeKind.SingleResult, result, 0);

    public static BlockType OfTypeIndex(uint typeIndex) => new(BlockTypeKind.TypeIndex, default, typeIndex);

    public BlockTypeKind Kind { get; }

    /// <summary>The single result type, when <see cref="Kind"/> is <see cref="BlockTypeKind.SingleResult"/>.</summary>
    public ValueType Result { get; }

    /// <summary>The function type's index, when <see cref="Kind"/> is <see cref="BlockTypeKind.TypeIndex"/> (not yet checked against the type section).</summary>
    public uint TypeIndex { get; }
}

internal enum BlockTypeKind : byte
{
    /// <summary><c>[] -> []</c>.</summary>
    Empty,

    /// <summary><c>[] -> [t]</c>.</summary>
    SingleResult,

    /// <summary>The parameters and results of a function type.</summary>
    TypeIndex,
}
