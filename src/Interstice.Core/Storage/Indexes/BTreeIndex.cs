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

    public BPlusTree<byte[]> Entries { get; } = new();

    public override void Add(ReadOnlySpan<byte> key, in StoredKey primaryKey, byte[] row)
    {
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            composite.WriteEncoded(key);
            composite.WriteEncoded(StoredKey.Bytes(in primaryKey));
            // A composite key ends with the row's primary key, so it is never present already;
            // a short one is stored inline, without an array.
            Entries.TryAdd(StoredKey.From(composite.Written), row);
        }
        finally
        {
            composite.Dispose();
        }
    }

    public override void Remove(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey)
    {
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            composite.WriteEncoded(key);
            composite.WriteEncoded(primaryKey);
            Entries.Remove(composite.Written);
        }
        finally
        {
            composite.Dispose();
        }
    }

    public override void Replace(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey, byte[] row)
    {
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            composite.WriteEncoded(key);
            composite.WriteEncoded(primaryKey);
            Entries.TryReplace(composite.Written, row);
        }
        finally
        {
            composite.Dispose();
        }
    }

    /// <summary>
    /// Writes every row's composite key once (as a <see cref="StoredKey"/>: no object for a
    /// key of up to 16 bytes), sorts them (by their heads, then by whole keys where heads tie)
    /// and builds the tree bottom-up. A unique index's equal keys end up side by side, so one
    /// pass over the sorted keys finds every conflict.
    /// <para>
    /// The rows come in increasing primary-key order, and a composite is the index key followed
    /// by the primary key: so when every index key has one length of at most 16 bytes (an
    /// integer column), a stable sort by the index keys' bytes alone puts the composites in
    /// order, and the primary keys' bytes are never sorted by.
    /// </para>
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int BulkLoad(byte[][] rows, StoredKey[] primaryKeys, int count, out byte[]? conflictKey)
    {
        conflictKey = null;
        if (count == 0) return -1;
        if (Entries.Count != 0) throw new InvalidOperationException("an index is bulk loaded only when it is empty");
        var arrays = new byte[count][];
        // The heads as integers (StoredKey.Order) while sorting, in memory order again after.
        using var heads = new NativeBuffer<UInt128>(count);
        // The index key's length in each composite key: the part a unique index compares.
        using var keyLengths = new NativeBuffer<int>(count);
        // The length every index key has, or -1 once two differ.
        int sharedKeyLength = -2;
        // The length tag every composite has when all are short and of one length (StoredKey.Array), else null.
        byte[]? sharedTag = null;
        var headsOf = heads.Span;
        var keyLengthOf = keyLengths.Span;
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                composite.Reset();
                Layout.WriteIndexKey(Position, rows[i], ref composite);
                keyLengthOf[i] = composite.Length;
                if (sharedKeyLength != composite.Length) sharedKeyLength = sharedKeyLength == -2 ? composite.Length : -1;
                composite.WriteEncoded(StoredKey.Bytes(in primaryKeys[i]));
                var stored = StoredKey.From(composite.Written);
                arrays[i] = stored.Array;
                if (i == 0) sharedTag = StoredKey.IsLengthTag(stored.Array) ? stored.Array : null;
                else if (!ReferenceEquals(stored.Array, sharedTag)) sharedTag = null;
                headsOf[i] = StoredKey.Order(stored.Head);
            }
        }
        finally
        {
            composite.Dispose();
        }

        using var orderBuffer = new NativeBuffer<int>(count);
        var order = orderBuffer.Span;
        SortOrders(arrays, headsOf, sharedKeyLength, order);
        // Order is its own inverse (a byte swap on little-endian machines).
        for (int i = 0; i < count; i++) headsOf[i] = StoredKey.Order(headsOf[i]);
        if (Definition.IsUnique)
        {
            int conflict = FirstConflict(arrays, headsOf, order, keyLengthOf);
            if (conflict >= 0)
            {
                conflictKey = KeyOf(rows[conflict]);
                return conflict;
            }
        }
        var sortedRows = new byte[count][];
        for (int i = 0; i < count; i++) sortedRows[i] = rows[order[i]];
        // Short composites of one length share their array: the tree is built without looking each
        // one up by its position before sorting (a cache miss per key over a million of them).
        if (sharedTag != null) Entries.BuildSorted(count, i => StoredKey.FromParts(sharedTag, heads[i]), sortedRows);
        else Entries.BuildSorted(count, i => StoredKey.FromParts(arrays[orderBuffer[i]], heads[i]), sortedRows);
        return -1;
    }

    public override void Clear() => Entries.Clear();

    /// <summary>
    /// Sorts the keys' <paramref name="orders"/> (<see cref="StoredKey.Order(UInt128)"/> of each
    /// head; <paramref name="arrays"/> are the keys' <see cref="StoredKey.Array"/>s) in place
    /// and sets <paramref name="order"/>[i] to the position the i-th sorted key came from. The
    /// keys are distinct (they end with the primary key) and come in primary-key order;
    /// <paramref name="sharedKeyLength"/> is the length every index key has, or -1.
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortOrders(byte[][] arrays, Span<UInt128> orders, int sharedKeyLength, Span<int> order)
    {
        int count = arrays.Length;
        bool sorted = true;
        for (int i = 1; i < count && sorted; i++) sorted = Compare(arrays, orders, i - 1, i) < 0;
        if (sorted)
        {
            for (int i = 0; i < count; i++) order[i] = i;
            return;
        }

        // Index keys of one length, in the heads: equal ones stay in primary-key order.
        if (sharedKeyLength is > 0 and <= StoredKey.HeadLength)
        {
            PrefixSort.Sort(orders, order, sharedKeyLength);
            return;
        }
        PrefixSort.Sort(orders, order);
        // Long keys may tie on their heads: those runs are sorted by whole keys.
        Comparison<int> byKey = (a, b) => StoredKey.CompareTied(arrays[a], arrays[b]);
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && orders[end] == orders[start]) end++;
            if (end - start > 1) order.Slice(start, end - start).Sort(byKey);
            start = end;
        }
    }

    /// <summary>Compares keys <paramref name="a"/> and <paramref name="b"/> by their head integers, then as <see cref="StoredKey.CompareTied"/> says.</summary>
    private static int Compare(byte[][] arrays, ReadOnlySpan<UInt128> orders, int a, int b) =>
        orders[a] != orders[b] ? (orders[a] < orders[b] ? -1 : 1) : StoredKey.CompareTied(arrays[a], arrays[b]);

    /// <summary>
    /// Among rows sharing an index key, every row but the first (by position: the order the
    /// rows came in) conflicts; returns the smallest such position, or -1. The keys are
    /// <paramref name="arrays"/>[<paramref name="order"/>[i]] with <paramref name="sortedHeads"/>[i].
    /// </summary>
    private static int FirstConflict(byte[][] arrays, Span<UInt128> sortedHeads, ReadOnlySpan<int> order, ReadOnlySpan<int> keyLengths)
    {
        int first = -1;
        int groupStart = 0;
        int count = arrays.Length;
        for (int i = 1; i <= count; i++)
        {
            int leader = order[groupStart];
            if (i < count && StoredKey.Bytes(arrays[order[i]], ref sortedHeads[i])
                .StartsWith(StoredKey.Bytes(arrays[leader], ref sortedHeads[groupStart])[..keyLengths[leader]])) continue;
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

    public override byte[]? FindAny(ReadOnlySpan<byte> key) =>
        Entries.TryGetFirstAtOrAfter(key, out var composite, out var row) && composite.StartsWith(key) ? row : null;
}
