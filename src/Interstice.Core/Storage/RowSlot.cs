namespace Interstice.Core.Storage;

/// <summary>
/// One committed row, shared by the primary-key map and every index of its table, so that an
/// update that leaves a key unchanged touches only this slot. The row bytes are immutable:
/// an update stores a new array, so a reader holding the old one keeps a consistent row.
/// <para>
/// The slot holds its primary key as a <see cref="StoredKey"/>: a key of up to 16 bytes
/// (any integer, a short string) inline, so that a row costs two objects, the slot and its
/// row array. Recovery makes a million of them at once, and every object is one more for the
/// garbage collector to trace and copy while they are young.
/// </para>
/// </summary>
internal sealed class RowSlot
{
    private readonly StoredKey _primaryKey;

    private RowSlot(in StoredKey primaryKey, byte[] row)
    {
        _primaryKey = primaryKey;
        Row = row;
    }

    /// <summary>The encoded primary key; valid as long as the slot is.</summary>
    public ReadOnlySpan<byte> PrimaryKey => StoredKey.Bytes(in _primaryKey);

    /// <summary>The primary key as the primary-key B+tree stores it.</summary>
    public StoredKey StoredPrimaryKey => _primaryKey;

    /// <summary>The encoded row. Replaced, never modified, by an applied update.</summary>
    public byte[] Row;

    /// <summary>A slot holding copies of <paramref name="primaryKey"/> and <paramref name="row"/>.</summary>
    public static RowSlot Create(ReadOnlySpan<byte> primaryKey, ReadOnlySpan<byte> row) => new(StoredKey.From(primaryKey), row.ToArray());

    /// <summary>
    /// A slot that keeps <paramref name="row"/> itself, for a caller that has just allocated it
    /// for the slot and never modifies it, with a copy of <paramref name="primaryKey"/> (the
    /// key <paramref name="row"/> has).
    /// </summary>
    public static RowSlot Adopt(ReadOnlySpan<byte> primaryKey, byte[] row) => new(StoredKey.From(primaryKey), row);
}
