namespace Interstice.Core.Storage.Indexes;

/// <summary>The committed entries of one secondary index, each pointing at its row's <see cref="RowSlot"/>.</summary>
internal abstract class TableIndex
{
    protected TableIndex(IndexDefinition definition) => Definition = definition;

    public IndexDefinition Definition { get; }

    public static TableIndex Create(IndexDefinition definition) =>
        definition.Kind == IndexKind.Hash ? new HashIndex(definition) : new BTreeIndex(definition);

    /// <summary>Adds <paramref name="slot"/> under <paramref name="key"/> (an encoded index key).</summary>
    public abstract void Add(ReadOnlySpan<byte> key, RowSlot slot);

    /// <summary>Removes <paramref name="slot"/> from under <paramref name="key"/>.</summary>
    public abstract void Remove(ReadOnlySpan<byte> key, RowSlot slot);

    /// <summary>Some row with <paramref name="key"/>, or null (for a unique index: the row).</summary>
    public abstract RowSlot? FindAny(ReadOnlySpan<byte> key);
}
