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
    public BTreeIndex(IndexDefinition definition, ITableLayout layout, int position) : base(definition, layout, position) { }

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

    /// <summary>
    /// Writes every row's composite key once (as a <see cref="StoredKey"/>: no object for a
    /// key of up to 16 bytes), sorts the rows and builds the tree bottom-up. The rows come in
    /// primary-key order (<see cref="Table.BulkLoad"/>), so a stable sort by index key alone
    /// puts the composites in order: the radix sort reads only the index keys' heads, and
    /// only index keys longer than a head, tying on it, are compared whole. A unique index's
    /// equal keys end up side by side, so one pass over the sorted keys finds every conflict.
    /// </summary>
    public override int BulkLoad(RowSlot[] slots, int count, out byte[]? conflictKey)
    {
        conflictKey = null;
        if (count == 0) return -1;
        if (Entries.Count != 0) throw new InvalidOperationException("an index is bulk loaded only when it is empty");
        var arrays = new byte[count][];
        var heads = new UInt128[count];
        // The index key's head as an integer (StoredKey.Order): what the rows are sorted by.
        var keyOrders = new UInt128[count];
        // The index key's length in each composite key: the part a unique index compares.
        var keyLengths = new int[count];
        bool longKeys = false;
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                composite.Reset();
                Layout.WriteIndexKey(Position, slots[i].Row, ref composite);
                keyLengths[i] = composite.Length;
                keyOrders[i] = StoredKey.OrderOf(composite.Written);
                longKeys |= composite.Length > StoredKey.HeadLength;
                composite.WriteEncoded(slots[i].PrimaryKey);
                var stored = StoredKey.From(composite.Written);
                arrays[i] = stored.Array;
                heads[i] = stored.Head;
            }
        }
        finally
        {
            composite.Dispose();
        }

        var order = SortByIndexKey(arrays, heads, keyOrders, longKeys);
        if (Definition.IsUnique)
        {
            int conflict = FirstConflict(arrays, heads, order, keyLengths);
            if (conflict >= 0)
            {
                conflictKey = IndexKeyOf(slots[conflict]);
                return conflict;
            }
        }
        var sortedArrays = new byte[count][];
        var sortedSlots = new RowSlot[count];
        var sortedHeads = keyOrders;
        for (int i = 0; i < count; i++)
        {
            int row = order[i];
            sortedArrays[i] = arrays[row];
            sortedHeads[i] = heads[row];
            sortedSlots[i] = slots[row];
        }
        Entries.BuildSorted(count, i => StoredKey.FromParts(sortedArrays[i], sortedHeads[i]), sortedSlots);
        return -1;
    }

    public override void Clear() => Entries.Clear();

    /// <summary>
    /// The positions of the rows in composite-key order: <paramref name="keyOrders"/> (sorted
    /// in place) radix-sorted, stably, so that rows with one index key stay in primary-key
    /// order; where index keys longer than a head tie on it (<paramref name="longKeys"/>), the
    /// tied rows are sorted by their whole composite keys (<paramref name="arrays"/> and
    /// <paramref name="heads"/>).
    /// </summary>
    private static int[] SortByIndexKey(byte[][] arrays, UInt128[] heads, UInt128[] keyOrders, bool longKeys)
    {
        int count = arrays.Length;
        var order = PrefixSort.Sort(keyOrders);
        if (!longKeys) return order;
        var byKey = Comparer<int>.Create((a, b) => KeyComparer.Compare(StoredKey.Bytes(arrays[a], ref heads[a]), StoredKey.Bytes(arrays[b], ref heads[b])));
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && keyOrders[end] == keyOrders[start]) end++;
            if (end - start > 1) Array.Sort(order, start, end - start, byKey);
            start = end;
        }
        return order;
    }

    /// <summary>
    /// Among rows sharing an index key, every row but the first (by position: the order the
    /// rows came in) conflicts; returns the smallest such position, or -1. The sorted keys are
    /// those of rows <paramref name="order"/>[0], [1], ... (<paramref name="arrays"/> and
    /// <paramref name="heads"/> by row).
    /// </summary>
    private static int FirstConflict(byte[][] arrays, UInt128[] heads, int[] order, int[] keyLengths)
    {
        int first = -1;
        int groupStart = 0;
        int count = arrays.Length;
        for (int i = 1; i <= count; i++)
        {
            int leader = order[groupStart];
            if (i < count && StoredKey.Bytes(arrays[order[i]], ref heads[order[i]])
                .StartsWith(StoredKey.Bytes(arrays[leader], ref heads[leader])[..keyLengths[leader]])) continue;
            if (i - groupStart > 1)
            {
                // The group's earliest row keeps the key; the next earliest is the first to conflict.
                int earliest = int.MaxValue, second = int.MaxValue;
                for (int j = groupStart; j < i; j++)
                {
                    int p = order[j];
                    if (p < earliest) { second = earliest; earliest = p; }
                    else if (p < second) second = p;
                }
                if (first < 0 || second < first) first = second;
            }
            groupStart = i;
        }
        return first;
    }

    private byte[] IndexKeyOf(RowSlot slot)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Layout.WriteIndexKey(Position, slot.Row, ref key);
            return key.ToArray();
        }
        finally
        {
            key.Dispose();
        }
    }

    public override RowSlot? FindAny(ReadOnlySpan<byte> key) =>
        Entries.TryGetFirstAtOrAfter(key, out var composite, out var slot) && composite.StartsWith(key) ? slot : null;
}
