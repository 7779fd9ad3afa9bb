using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// A hash index: a <see cref="RowHashTable{TValue, TKeys}"/> from index key to the row with
/// that key, or, when a non-unique key has several rows, to a <see cref="RowSlotSet"/> of them
/// ordered by primary key (so rows come out in a deterministic order). Keys are not stored:
/// entries are matched by reading the key out of their row. Probes take spans: no key array
/// is allocated to look up.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class HashIndex : TableIndex
{
    /// <summary>Values are a <see cref="RowSlot"/> (one row) or a <see cref="RowSlotSet"/>.</summary>
    private readonly RowHashTable<object, IndexKeyMatcher> _entries;

    public HashIndex(IndexDefinition definition, ITableLayout layout, int position) : base(definition) =>
        _entries = new(new IndexKeyMatcher(layout, position));

    public override void Add(ReadOnlySpan<byte> key, RowSlot slot)
    {
        ref object entry = ref _entries.GetValueRefOrAddDefault(key, out bool exists);
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
            ((RowSlotSet)entry).Add(slot);
        }
    }

    /// <summary>Sizes the table once for every row, then files them in order, checking uniqueness as it goes.</summary>
    public override int BulkLoad(RowSlot[] slots, int count, ITableLayout layout, int position, out byte[]? conflictKey)
    {
        _entries.EnsureCapacity(_entries.Count + count);
        bool unique = Definition.IsUnique;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                key.Reset();
                layout.WriteIndexKey(position, slots[i].Row, ref key);
                if (unique)
                {
                    ref object entry = ref _entries.GetValueRefOrAddDefault(key.Written, out bool exists);
                    if (exists)
                    {
                        conflictKey = key.ToArray();
                        return i;
                    }
                    entry = slots[i];
                }
                else
                {
                    Add(key.Written, slots[i]);
                }
            }
        }
        finally
        {
            key.Dispose();
        }
        conflictKey = null;
        return -1;
    }

    public override void Clear() => _entries.Clear();

    public override void Remove(ReadOnlySpan<byte> key, RowSlot slot)
    {
        ref object entry = ref _entries.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref entry)) return;
        if (entry is RowSlot)
        {
            _entries.Remove(key);
            return;
        }
        var rows = (RowSlotSet)entry;
        rows.Remove(slot);
        if (rows.Count == 1) entry = rows.First();
    }

    public override RowSlot? FindAny(ReadOnlySpan<byte> key)
    {
        var entry = _entries.Find(key);
        if (entry == null) return null;
        return entry as RowSlot ?? ((RowSlotSet)entry).First();
    }

    /// <summary>The rows with <paramref name="key"/>: null, one <see cref="RowSlot"/>, or a <see cref="RowSlotSet"/>.</summary>
    public object? Lookup(ReadOnlySpan<byte> key) => _entries.Find(key);

    /// <summary>
    /// Verifies the hash table (see <see cref="RowHashTable{TValue, TKeys}.CheckInvariants"/>)
    /// and that the rows of each set share their key (<paramref name="keyOf"/> gives a row's
    /// key); returns the number of rows. For tests.
    /// </summary>
    internal int CheckInvariants(Func<RowSlot, byte[]> keyOf)
    {
        int rows = 0;
        _entries.CheckInvariants(value =>
        {
            if (value is RowSlot slot)
            {
                rows++;
                return keyOf(slot);
            }
            var set = (RowSlotSet)value;
            if (set.Count < 2) throw new InvalidOperationException($"a row set holds {set.Count} row(s)");
            var key = keyOf(set.First());
            var cursor = set.GetCursor();
            while (cursor.MoveNext())
            {
                if (!keyOf(cursor.Current).AsSpan().SequenceEqual(key)) throw new InvalidOperationException("a row set holds rows with different keys");
                rows++;
            }
            return key;
        });
        return rows;
    }
}
