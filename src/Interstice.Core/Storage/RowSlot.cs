namespace Interstice.Core.Storage;

/// <summary>
/// One committed row, shared by the primary-key map and every index of its table, so that an
/// update that leaves a key unchanged touches only this slot. The row bytes are immutable:
/// an update stores a new array, so a reader holding the old one keeps a consistent row.
/// </summary>
internal sealed class RowSlot
{
    private RowSlot(byte[] primaryKey, byte[] row)
    {
        PrimaryKey = primaryKey;
        Row = row;
    }

    /// <summary>The encoded primary key (the same array the primary-key B+tree is keyed by).</summary>
    public readonly byte[] PrimaryKey;

    /// <summary>The encoded row. Replaced, never modified, by an applied update.</summary>
    public byte[] Row;

    /// <summary>
    /// A slot holding copies of <paramref name="primaryKey"/> and <paramref name="row"/>,
    /// allocated one after the other: the garbage collector keeps objects allocated together
    /// side by side (it moves runs of live objects as a whole), so a lookup that reaches the
    /// slot finds its key and row in the same or the next cache lines and memory page, instead
    /// of paying a cache and TLB miss for each in a large table.
    /// </summary>
    public static RowSlot Create(ReadOnlySpan<byte> primaryKey, ReadOnlySpan<byte> row)
    {
        byte[] key = primaryKey.ToArray();
        byte[] stored = row.ToArray();
        return new RowSlot(key, stored);
    }

    /// <summary>
    /// A slot that keeps <paramref name="primaryKey"/> and <paramref name="row"/> themselves,
    /// for a caller that has just allocated them for the slot (one after the other, for the
    /// same locality as <see cref="Create"/>) and never modifies them.
    /// </summary>
    public static RowSlot Adopt(byte[] primaryKey, byte[] row) => new(primaryKey, row);
}
