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
    /// Writes every row's composite key once, sorts them (by their 16-byte prefixes, then by
    /// whole keys where prefixes tie) and builds the tree bottom-up. A unique index's equal
    /// keys end up side by side, so one pass over the sorted keys finds every conflict.
    /// </summary>
    public override int BulkLoad(RowSlot[] slots, int count, out byte[]? conflictKey)
    {
        conflictKey = null;
        if (count == 0) return -1;
        if (Entries.Count != 0) throw new InvalidOperationException("an index is bulk loaded only when it is empty");
        var keys = new byte[count][];
        // The index key's length in each composite key: the part a unique index compares.
        var keyLengths = new int[count];
        var prefixes = new UInt128[count];
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                composite.Reset();
                Layout.WriteIndexKey(Position, slots[i].Row, ref composite);
                keyLengths[i] = composite.Length;
                composite.WriteEncoded(slots[i].PrimaryKey);
                keys[i] = composite.ToArray();
                prefixes[i] = BPlusTree<RowSlot>.KeyPrefix(composite.Written);
            }
        }
        finally
        {
            composite.Dispose();
        }

        var order = SortedOrder(keys, prefixes);
        var sortedKeys = new byte[count][];
        var sortedSlots = new RowSlot[count];
        for (int i = 0; i < count; i++)
        {
            sortedKeys[i] = keys[order[i]];
            sortedSlots[i] = slots[order[i]];
        }
        if (Definition.IsUnique)
        {
            int conflict = FirstConflict(sortedKeys, order, keyLengths);
            if (conflict >= 0)
            {
                conflictKey = keys[conflict].AsSpan(0, keyLengths[conflict]).ToArray();
                return conflict;
            }
        }
        Entries.BuildSorted(sortedKeys, sortedSlots, count, prefixes);
        return -1;
    }

    public override void Clear() => Entries.Clear();

    /// <summary>
    /// The positions of <paramref name="keys"/> in increasing key order (the keys are distinct:
    /// they end with the primary key); sorts their <paramref name="prefixes"/> alike.
    /// </summary>
    private static int[] SortedOrder(byte[][] keys, UInt128[] prefixes)
    {
        int count = keys.Length;
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        bool sorted = true;
        for (int i = 1; i < count && sorted; i++) sorted = KeyComparer.Compare(keys[i - 1], keys[i]) < 0;
        if (sorted) return order;

        order = PrefixSort.Sort(prefixes);
        // Keys longer than their prefix may tie on it: those runs are sorted by whole keys.
        var byKey = Comparer<int>.Create((a, b) => KeyComparer.Compare(keys[a], keys[b]));
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && prefixes[end] == prefixes[start]) end++;
            if (end - start > 1) Array.Sort(order, start, end - start, byKey);
            start = end;
        }
        return order;
    }

    /// <summary>
    /// Among rows sharing an index key, every row but the first (by position: the order the
    /// rows came in) conflicts; returns the smallest such position, or -1.
    /// </summary>
    private static int FirstConflict(byte[][] sortedKeys, int[] order, int[] keyLengths)
    {
        int first = -1;
        int groupStart = 0;
        for (int i = 1; i <= sortedKeys.Length; i++)
        {
            int leader = order[groupStart];
            if (i < sortedKeys.Length && sortedKeys[i].AsSpan().StartsWith(sortedKeys[groupStart].AsSpan(0, keyLengths[leader]))) continue;
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

    public override RowSlot? FindAny(ReadOnlySpan<byte> key) =>
        Entries.TryGetFirstAtOrAfter(key, out var composite, out var slot) && composite.AsSpan().StartsWith(key) ? slot : null;
}
