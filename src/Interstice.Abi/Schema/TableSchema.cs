namespace Interstice.Abi.Schema;

/// <summary>
/// A table (docs/abi.md section 4.3). Its columns are the fields of the struct <see cref="Row"/>;
/// columns are referred to by their index in that struct.
/// </summary>
/// <param name="Name">The table's name.</param>
/// <param name="Row">The name of the struct type of its rows.</param>
/// <param name="PrimaryKey">The primary key's column index.</param>
/// <param name="AutoInc">Column indexes whose values the node generates, ascending.</param>
/// <param name="Indexes">Secondary indexes, sorted by name; an index id is a position in this list.</param>
/// <param name="Ephemeral">True when the table is not logged and starts empty after a restart.</param>
public sealed record TableSchema(
    string Name,
    string Row,
    int PrimaryKey,
    EquatableArray<int> AutoInc,
    EquatableArray<IndexSchema> Indexes,
    bool Ephemeral);

/// <summary>A secondary index over one or more columns (in key order).</summary>
public sealed record IndexSchema(string Name, EquatableArray<int> Columns, IndexKind Kind, bool Unique);

/// <summary>What lookups an index supports.</summary>
public enum IndexKind : byte
{
    /// <summary>Equality lookups.</summary>
    Hash = 0,

    /// <summary>Equality and range lookups, in key order.</summary>
    BTree = 1,
}
