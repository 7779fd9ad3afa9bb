using Interstice.Core.Storage;

namespace Interstice.Core.Transactions;

/// <summary>The net effect of a transaction on one row.</summary>
public enum RowChangeKind : byte
{
    /// <summary>The row did not exist before; <see cref="RowChange.NewRow"/> is it.</summary>
    Insert,
    /// <summary>The row existed and has new contents: <see cref="RowChange.OldRow"/> and <see cref="RowChange.NewRow"/>.</summary>
    Update,
    /// <summary>The row existed and is gone; <see cref="RowChange.OldRow"/> was it.</summary>
    Delete,
}

/// <summary>
/// One row's change in a <see cref="ChangeSet"/>, relative to the committed state the
/// transaction started from. The byte arrays are shared with storage: never modify them.
/// </summary>
public readonly struct RowChange
{
    internal RowChange(Table table, RowChangeKind kind, byte[] primaryKey, byte[]? oldRow, byte[]? newRow)
    {
        Table = table;
        Kind = kind;
        PrimaryKeyBytes = primaryKey;
        OldRowBytes = oldRow;
        NewRowBytes = newRow;
    }

    public Table Table { get; }

    public RowChangeKind Kind { get; }

    /// <summary>The row's encoded primary key (see <see cref="KeyEncoding"/>).</summary>
    public ReadOnlyMemory<byte> PrimaryKey => PrimaryKeyBytes;

    /// <summary>The row before the change; empty for an insert.</summary>
    public ReadOnlyMemory<byte> OldRow => OldRowBytes;

    /// <summary>The row after the change; empty for a delete.</summary>
    public ReadOnlyMemory<byte> NewRow => NewRowBytes;

    internal byte[] PrimaryKeyBytes { get; }

    internal byte[]? OldRowBytes { get; }

    internal byte[]? NewRowBytes { get; }
}

/// <summary>A transaction moved a table's auto-increment sequence: its next value is now <see cref="NextValue"/>.</summary>
public readonly struct SequenceChange
{
    internal SequenceChange(Table table, ulong nextValue)
    {
        Table = table;
        NextValue = nextValue;
    }

    public Table Table { get; }

    /// <summary>The value the sequence generates next; 0 means it is exhausted.</summary>
    public ulong NextValue { get; }
}
