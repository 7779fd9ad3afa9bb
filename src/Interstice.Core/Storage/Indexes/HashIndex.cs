using System.Runtime.InteropServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// A hash index: a dictionary from index key to the row with that key, or, when a non-unique
/// key has several rows, to a <see cref="RowSlotSet"/> of them ordered by primary key (so rows
/// come out in a deterministic order). Probes take spans: no key array is allocated to look up.
/// </summary>
internal sealed class HashIndex : TableIndex
{
    /// <summary>Values are a <see cref="RowSlot"/> (one row) or a <see cref="RowSlotSet"/>.</summary>
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
            entry = new RowSlotSet(single, slot);
        }
        else
        {
            ((RowSlotSet)entry!).Add(slot);
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
        var rows = (RowSlotSet)entry;
        rows.Remove(slot);
        if (rows.Count == 1) _lookup[key] = rows.First();
    }

    public override RowSlot? FindAny(ReadOnlySpan<byte> key)
    {
        if (!_lookup.TryGetValue(key, out var entry)) return null;
        return entry as RowSlot ?? ((RowSlotSet)entry).First();
    }

    /// <summary>The rows with <paramref name="key"/>: null, one <see cref="RowSlot"/>, or a <see cref="RowSlotSet"/>.</summary>
    public object? Lookup(ReadOnlySpan<byte> key) => _lookup.TryGetValue(key, out var entry) ? entry : null;
}
