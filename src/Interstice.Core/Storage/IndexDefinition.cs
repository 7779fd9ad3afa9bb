namespace Interstice.Core.Storage;

/// <summary>The structure behind a secondary index.</summary>
public enum IndexKind : byte
{
    /// <summary>Equality lookups only, O(1).</summary>
    Hash,
    /// <summary>Equality and range lookups in key order, O(log n).</summary>
    BTree,
}

/// <summary>A secondary index on one column of a table.</summary>
public sealed class IndexDefinition
{
    public IndexDefinition(string name, string column, KeyType keyType, IndexKind kind, bool isUnique)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!Enum.IsDefined(keyType)) throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "not a key type");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an index kind");
        Name = name;
        Column = column;
        KeyType = keyType;
        Kind = kind;
        IsUnique = isUnique;
    }

    /// <summary>The index's name, unique within its table; used in error messages.</summary>
    public string Name { get; }

    /// <summary>The indexed column's name; used in error messages.</summary>
    public string Column { get; }

    /// <summary>The indexed column's type, which fixes its key encoding and how keys are shown.</summary>
    public KeyType KeyType { get; }

    public IndexKind Kind { get; }

    /// <summary>When true, no two rows may have the same key.</summary>
    public bool IsUnique { get; }

    public override string ToString() => $"{(IsUnique ? "unique " : "")}{(Kind == IndexKind.Hash ? "hash" : "btree")} index {Name} on {Column}";
}
