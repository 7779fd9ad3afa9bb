using System.Runtime.InteropServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// A hash index: a dictionary from index key to the row with that key, or, when a non-unique
/// key has several rows, to a small <see cref="BPlusTree{TValue}"/> of them keyed by primary
/// key, so that rows come out in primary-key order (deterministic) and removing one of many
/// is O(log k). Probes take spans: no key array is allocated to look up.
/// </summary>
internal sealed class HashIndex : TableIndex
{
    /// <summary>Values are a <see cref="RowSlot"/> (one row) or a <see cref="BPlusTree{TValue}"/> of them.</summary>
    private readonly Dictionary<byte[], object> _entries = new(KeyComparer.Instance);
    private readonly Dictionary<byte[], object>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public HashIndex(IndexDefinition definition) : base(definition) =>
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();

    public override void Add(ReadOnlySpan<byte> key, RowSlot slot)
    {
        ref object? entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out bool exists);
        if (!exists)
        {
            entry = slot;
        }
        else if (entry is RowSlot single)
        {
            var rows = new BPlusTree<RowSlot>();
            rows.TryAdd(single.PrimaryKey, single);
            rows.TryAdd(slot.PrimaryKey, slot);
            entry = rows;
        }
        else
        {
            ((BPlusTree<RowSlot>)entry!).TryAdd(slot.PrimaryKey, slot);
        }
    }

    public override void Remove(ReadOnlySpan<byte> key, RowSlot slot)
    {
        if (!_lookup.TryGetValue(key, out var entry)) return;
        if (entry is RowSlot)
        {
            _lookup.Remove(key);
            return;
        }
        var rows = (BPlusTree<RowSlot>)entry;
        rows.Remove(slot.PrimaryKey);
        if (rows.Count == 1)
        {
            var cursor = rows.Seek(KeyRange.All);
            cursor.MoveNext();
            _lookup[key] = cursor.Value;
        }
    }

    public override RowSlot? FindAny(ReadOnlySpan<byte> key)
    {
        if (!_lookup.TryGetValue(key, out var entry)) return null;
        if (entry is RowSlot single) return single;
        var cursor = ((BPlusTree<RowSlot>)entry).Seek(KeyRange.All);
        return cursor.MoveNext() ? cursor.Value : null;
    }

    /// <summary>The rows with <paramref name="key"/>: null, one <see cref="RowSlot"/>, or a tree of them by primary key.</summary>
    public object? Lookup(ReadOnlySpan<byte> key) => _lookup.TryGetValue(key, out var entry) ? entry : null;
}
