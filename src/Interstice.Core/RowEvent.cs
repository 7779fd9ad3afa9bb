using Interstice.Core.Transactions;

namespace Interstice.Core;

/// <summary>
/// A committed change to one row, delivered to <see cref="Node.Subscribe"/> callbacks. Rows are
/// in the ABI encoding of the table's row type (<see cref="Node.FormatRow"/> renders them).
/// </summary>
public sealed class RowEvent
{
    internal RowEvent(string module, string table, RowChangeKind kind, ReadOnlyMemory<byte> oldRow, ReadOnlyMemory<byte> newRow, long sequence)
    {
        Module = module;
        Table = table;
        Kind = kind;
        OldRow = oldRow;
        NewRow = newRow;
        Sequence = sequence;
    }

    public string Module { get; }

    public string Table { get; }

    public RowChangeKind Kind { get; }

    /// <summary>The row before the change; empty for an insert.</summary>
    public ReadOnlyMemory<byte> OldRow { get; }

    /// <summary>The row after the change; empty for a delete.</summary>
    public ReadOnlyMemory<byte> NewRow { get; }

    /// <summary>The number of the transaction that made the change.</summary>
    public long Sequence { get; }

    public override string ToString() => $"{Module}.{Table}.{Kind.ToString().ToLowerInvariant()} (#{Sequence})";
}
