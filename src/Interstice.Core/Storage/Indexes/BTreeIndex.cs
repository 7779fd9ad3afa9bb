using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// A B-tree index: a <see cref="BPlusTree{TValue}"/> keyed by index key followed by primary
/// key (see <see cref="CompositeKeys"/>), unique or not, so that equal keys come out in
/// primary-key order and a range over index keys is one cursor.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class BTreeIndex : TableIndex
{
    public BTreeIndex(IndexDefinition definition) : base(definition) { }

    public BPlusTree<RowSlot> Entries { get; } = new();

    public override void Add(ReadOnlySpan<byte> key, RowSlot slot)
    {
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            composite.WriteEncoded(key);
            composite.WriteEncoded(slot.PrimaryKey);
            Entries.TryAdd(composite.ToArray(), slot);
        }
        finally
        {
            composite.Dispose();
        }
    }

    public override void Remove(ReadOnlySpan<byte> key, RowSlot slot)
    {
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            composite.WriteEncoded(key);
            composite.WriteEncoded(slot.PrimaryKey);
            Entries.Remove(composite.Written);
        }
        finally
        {
            composite.Dispose();
        }
    }

    public override RowSlot? FindAny(ReadOnlySpan<byte> key) =>
        Entries.TryGetFirstAtOrAfter(key, out var composite, out var slot) && composite.AsSpan().StartsWith(key) ? slot : null;
}
