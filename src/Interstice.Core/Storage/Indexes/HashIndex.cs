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

    public HashIndex(IndexDefinition definition, ITableLayout layout, int position) : base(definition, layout, position) =>
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

    /// <summary>
    /// A unique index hashes every row's key, then fills its table at once in home order
    /// (<see cref="RowHashTable{TValue, TKeys}.Fill"/>), which finds repeated keys as it goes;
    /// a non-unique one sizes its table once and files the rows one by one (keys shared by
    /// several rows gather into sets).
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability.md, A node's start).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int BulkLoad(RowSlot[] slots, int count, out byte[]? conflictKey)
    {
        conflictKey = null;
        if (count == 0) return -1;
        if (_entries.Count != 0) throw new InvalidOperationException("an index is bulk loaded only when it is empty");
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            if (!Definition.IsUnique)
            {
                // Rows that share a key share one entry: the table grows with the distinct keys, not the rows.
                for (int i = 0; i < count; i++)
                {
                    key.Reset();
                    Layout.WriteIndexKey(Position, slots[i].Row, ref key);
                    Add(key.Written, slots[i]);
                }
                return -1;
            }
            var hashes = new int[count];
            for (int i = 0; i < count; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(Position, slots[i].Row, ref key);
                hashes[i] = _entries.HashOf(key.Written);
            }
            int conflict = _entries.Fill(slots, hashes, count, (a, b) => SameKey((RowSlot)a, (RowSlot)b));
            if (conflict >= 0)
            {
                conflictKey = KeyOf(slots[conflict].Row);
            }
            return conflict;
        }
        finally
        {
            key.Dispose();
        }
    }

    private bool SameKey(RowSlot a, RowSlot b)
    {
        var first = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var second = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Layout.WriteIndexKey(Position, a.Row, ref first);
            Layout.WriteIndexKey(Position, b.Row, ref second);
            return first.Written.SequenceEqual(second.Written);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
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
