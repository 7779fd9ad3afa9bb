using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// A hash index: a <see cref="RowHashTable{TValue, TKeys}"/> from index key to the row with
/// that key, or, when a non-unique key has several rows, to a <see cref="RowSet"/> of them
/// ordered by primary key (so rows come out in a deterministic order). Keys are not stored:
/// entries are matched by reading the key out of their row. Probes take spans: no key array
/// is allocated to look up.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class HashIndex : TableIndex
{
    /// <summary>Values are a row (a <c>byte[]</c>) or a <see cref="RowSet"/>.</summary>
    private readonly RowHashTable<object, IndexKeyMatcher> _entries;

    public HashIndex(IndexDefinition definition, ITableLayout layout, int position) : base(definition, layout, position) =>
        _entries = new(new IndexKeyMatcher(layout, position));

    public override void Add(ReadOnlySpan<byte> key, in StoredKey primaryKey, byte[] row)
    {
        ref object entry = ref _entries.GetValueRefOrAddDefault(key, out bool exists);
        if (!exists) entry = row;
        else AddToShared(ref entry, primaryKey, row);
    }

    /// <summary>Adds <paramref name="row"/> (with primary key <paramref name="primaryKey"/>) to the rows of a key that has some already.</summary>
    private void AddToShared(ref object entry, in StoredKey primaryKey, byte[] row)
    {
        if (entry is byte[] single) entry = new RowSet(StoredKey.PrimaryKeyOf(Layout, single), single, primaryKey, row);
        else ((RowSet)entry).Add(primaryKey, row);
    }

    /// <summary>
    /// A unique index hashes every row's key, then fills its table at once in home order
    /// (<see cref="RowHashTable{TValue, TKeys}.Fill"/>), which finds repeated keys as it goes;
    /// a non-unique one files the rows one by one, its table growing with the distinct keys
    /// (keys shared by several rows gather into sets).
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int BulkLoad(byte[][] rows, StoredKey[] primaryKeys, int count, out byte[]? conflictKey)
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
                    Layout.WriteIndexKey(Position, rows[i], ref key);
                    ref object entry = ref _entries.GetValueRefOrAddDefault(key.Written, out bool exists);
                    if (!exists) entry = rows[i];
                    else AddToShared(ref entry, primaryKeys[i], rows[i]);
                }
                return -1;
            }
            using var hashBuffer = new NativeBuffer<int>(count);
            var hashes = hashBuffer.Span;
            for (int i = 0; i < count; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(Position, rows[i], ref key);
                hashes[i] = _entries.HashOf(key.Written);
            }
            int conflict = _entries.Fill(rows, hashes, count);
            if (conflict >= 0)
            {
                conflictKey = KeyOf(rows[conflict]);
            }
            return conflict;
        }
        finally
        {
            key.Dispose();
        }
    }

    public override void Clear() => _entries.Clear();

    public override void Remove(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey)
    {
        ref object entry = ref _entries.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref entry)) return;
        if (entry is byte[])
        {
            _entries.Remove(key);
            return;
        }
        var rows = (RowSet)entry;
        rows.Remove(primaryKey);
        if (rows.Count == 1) entry = rows.First();
    }

    public override void Replace(ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey, byte[] row)
    {
        ref object entry = ref _entries.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref entry)) return;
        // The new row has the same key: the entry stays where the key's hash put it.
        if (entry is byte[]) entry = row;
        else ((RowSet)entry).Replace(primaryKey, row);
    }

    public override byte[]? FindAny(ReadOnlySpan<byte> key)
    {
        var entry = _entries.Find(key);
        if (entry == null) return null;
        return entry as byte[] ?? ((RowSet)entry).First();
    }

    /// <summary>The rows with <paramref name="key"/>: null, one row (a <c>byte[]</c>), or a <see cref="RowSet"/>.</summary>
    public object? Lookup(ReadOnlySpan<byte> key) => _entries.Find(key);

    /// <summary>
    /// Verifies the hash table (see <see cref="RowHashTable{TValue, TKeys}.CheckInvariants"/>)
    /// and that the rows of each set share their key (<paramref name="keyOf"/> gives a row's
    /// key); returns the number of rows. For tests.
    /// </summary>
    internal int CheckInvariants(Func<byte[], byte[]> keyOf)
    {
        int rows = 0;
        _entries.CheckInvariants(value =>
        {
            if (value is byte[] row)
            {
                rows++;
                return keyOf(row);
            }
            var set = (RowSet)value;
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
