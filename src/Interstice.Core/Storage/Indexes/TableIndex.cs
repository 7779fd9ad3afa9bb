namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// The committed entries of one secondary index, each holding its row's array itself (the
/// array the table's primary-key structures hold too). Every operation names the row by its
/// primary key: the row set of a shared hash key and a B-tree's composite keys are ordered by it.
/// </summary>
internal abstract class TableIndex
{
    protected TableIndex(IndexDefinition definition, ITableLayout layout, int position)
    {
        Definition = definition;
        Layout = layout;
        Position = position;
    }

    public IndexDefinition Definition { get; }

    /// <summary>Reads the rows of the index's table (<see cref="ITableLayout.WriteIndexKey"/> with <see cref="Position"/>).</summary>
    protected ITableLayout Layout { get; }

    /// <summary>The index's position in its table's definition.</summary>
    protected int Position { get; }

    /// <summary>The index at <paramref name="position"/> of a table whose rows <paramref name="layout"/> reads.</summary>
    public static TableIndex Create(IndexDefinition definition, ITableLayout layout, int position) =>
        definition.Kind == IndexKind.Hash ? new HashIndex(definition, layout, position) : new BTreeIndex(definition, layout, position);

    /// <summary>
    /// Adds <paramref name="row"/>, whose primary key is <paramref name="primaryKey"/> (already
    /// stored: an index that keeps it keeps that key's array rather than a copy; on an insert it
    /// is the primary-key tree's own), under <paramref name="key"/> (an encoded index key).
    /// </summary>
    public abstract void Add(ReadOnlySpan<byte> key, in StoredKey primaryKey, byte[] row);

    /// <summary>Removes the row with <paramref name="primaryKey"/> from under <paramref name="key"/>.</summary>
    public abstract void Remove(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey);

    /// <summary>
    /// Puts <paramref name="row"/> in place of the row with <paramref name="primaryKey"/> under
    /// <paramref name="key"/>: an update that leaves this index's key unchanged.
    /// </summary>
    public abstract void Replace(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey, byte[] row);

    /// <summary>Some row with <paramref name="key"/>, or null (for a unique index: the row).</summary>
    public abstract byte[]? FindAny(ReadOnlySpan<byte> key);

    /// <summary>
    /// Fills the empty index with the rows <paramref name="rows"/>[0..<paramref name="count"/>)
    /// of its table, in increasing primary-key order (<paramref name="primaryKeys"/> holds each
    /// row's primary key), all at once. For a unique index, returns the first row (by position)
    /// whose key an earlier row has, with that key; -1 when there is none. After a conflict
    /// the index is left partly filled: the caller clears it.
    /// </summary>
    public abstract int BulkLoad(byte[][] rows, StoredKey[] primaryKeys, int count, out byte[]? conflictKey);

    /// <summary>Removes every entry.</summary>
    public abstract void Clear();

    /// <summary>The index key of <paramref name="row"/>, as a new array (for messages and checks, not hot paths).</summary>
    public byte[] KeyOf(ReadOnlySpan<byte> row)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Layout.WriteIndexKey(Position, row, ref key);
            return key.ToArray();
        }
        finally
        {
            key.Dispose();
        }
    }
}
