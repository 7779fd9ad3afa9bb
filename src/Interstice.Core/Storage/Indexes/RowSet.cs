namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// The rows that share one key of a non-unique hash index, ordered by primary key (so reads
/// are deterministic). Each row's primary key is computed once, when it is added, and kept
/// beside it as a <see cref="StoredKey"/> (inline for keys of up to 16 bytes). Most keys have
/// few rows: up to <see cref="SmallLimit"/> they sit in two sorted arrays; beyond, in a
/// <see cref="BPlusTree{TValue}"/>, so that a key shared by millions of rows still adds and
/// removes in O(log n).
/// </summary>
internal sealed class RowSet
{
    private const int SmallLimit = 32;

    /// <summary>The rows while the set is small, sorted by <see cref="_keys"/>.</summary>
    private byte[][]? _rows;
    private StoredKey[]? _keys;
    private int _count;
    private BPlusTree<byte[]>? _large;

    /// <summary>A set of two rows with distinct primary keys.</summary>
    public RowSet(in StoredKey firstKey, byte[] first, in StoredKey secondKey, byte[] second)
    {
        _rows = new byte[4][];
        _keys = new StoredKey[4];
        _rows[0] = first;
        _keys[0] = firstKey;
        _count = 1;
        Add(secondKey, second);
    }

    public int Count => _large?.Count ?? _count;

    /// <summary>Adds <paramref name="row"/> under its primary key <paramref name="primaryKey"/>; nothing when the key is present.</summary>
    public void Add(in StoredKey primaryKey, byte[] row)
    {
        if (_large != null)
        {
            _large.TryAdd(primaryKey, row);
            return;
        }
        int index = Search(StoredKey.Bytes(in primaryKey));
        if (index >= 0) return;
        index = ~index;
        if (_count == SmallLimit)
        {
            _large = new BPlusTree<byte[]>();
            for (int i = 0; i < _count; i++) _large.TryAdd(_keys![i], _rows![i]);
            _large.TryAdd(primaryKey, row);
            _rows = null;
            _keys = null;
            _count = 0;
            return;
        }
        if (_count == _rows!.Length)
        {
            Array.Resize(ref _rows, _count * 2);
            Array.Resize(ref _keys, _count * 2);
        }
        Array.Copy(_rows, index, _rows, index + 1, _count - index);
        Array.Copy(_keys!, index, _keys!, index + 1, _count - index);
        _rows[index] = row;
        _keys![index] = primaryKey;
        _count++;
    }

    /// <summary>Removes the row with <paramref name="primaryKey"/>, if present.</summary>
    public void Remove(ReadOnlySpan<byte> primaryKey)
    {
        if (_large != null)
        {
            _large.Remove(primaryKey);
            return;
        }
        int index = Search(primaryKey);
        if (index < 0) return;
        Array.Copy(_rows!, index + 1, _rows!, index, _count - index - 1);
        Array.Copy(_keys!, index + 1, _keys!, index, _count - index - 1);
        _count--;
        _rows![_count] = null!;
        _keys![_count] = default;
    }

    /// <summary>Puts <paramref name="row"/> in place of the row with <paramref name="primaryKey"/> (an update that keeps the key); false when there is none.</summary>
    public bool Replace(ReadOnlySpan<byte> primaryKey, byte[] row)
    {
        if (_large != null) return _large.TryReplace(primaryKey, row);
        int index = Search(primaryKey);
        if (index < 0) return false;
        _rows![index] = row;
        return true;
    }

    /// <summary>The row with the smallest primary key.</summary>
    public byte[] First()
    {
        if (_large == null) return _rows![0];
        var cursor = _large.Seek(KeyRange.All);
        cursor.MoveNext();
        return cursor.Value;
    }

    public Cursor GetCursor() => new(this);

    private int Search(ReadOnlySpan<byte> primaryKey)
    {
        var keys = _keys!;
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            int c = KeyComparer.Compare(StoredKey.Bytes(in keys[middle]), primaryKey);
            if (c == 0) return middle;
            if (c < 0) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    /// <summary>The rows in primary-key order, each with its primary key; valid while the set is not modified.</summary>
    public struct Cursor
    {
        private readonly RowSet _set;
        private BPlusTree<byte[]>.Cursor _large;
        private int _index;

        internal Cursor(RowSet set)
        {
            _set = set;
            _index = -1;
            Current = null!;
            if (set._large != null) _large = set._large.Seek(KeyRange.All);
        }

        /// <summary>The current row.</summary>
        public byte[] Current { get; private set; }

        /// <summary>The current row's primary key (read only when asked: a read that merges no overlay never needs it).</summary>
        public readonly StoredKey PrimaryKey => _set._large != null ? _large.StoredKey : _set._keys![_index];

        public bool MoveNext()
        {
            if (_set._large != null)
            {
                if (!_large.MoveNext()) return false;
                Current = _large.Value;
                return true;
            }
            if (++_index >= _set._count) return false;
            Current = _set._rows![_index];
            return true;
        }
    }
}
