namespace Interstice.Core.Storage;

/// <summary>
/// One committed row, shared by the primary-key map and every index of its table, so that an
/// update that leaves a key unchanged touches only this slot. The row bytes are immutable:
/// an update stores a new array, so a reader holding the old one keeps a consistent row.
/// </summary>
internal sealed class RowSlot
{
    public RowSlot(byte[] primaryKey, byte[] row)
    {
        PrimaryKey = primaryKey;
        Row = row;
    }

    /// <summary>The encoded primary key (the same array the primary-key map is keyed by).</summary>
    public readonly byte[] PrimaryKey;

    /// <summary>The encoded row. Replaced, never modified, by an applied update.</summary>
    public byte[] Row;
}
