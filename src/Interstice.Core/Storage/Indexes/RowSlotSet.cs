namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// The rows that share one key of a non-unique hash index, ordered by primary key (so reads
/// are deterministic). Most keys have few rows: up to <see cref="SmallLimit"/> they sit in a
/// sorted array (one allocation); beyond, in a <see cref="BPlusTree{TValue}"/>, so that a key
/// shared by millions of rows still adds and removes in O(log n).
/// </summary>
internal sealed class RowSlotSet
{
    private const int SmallLimit = 32;

    private RowSlot[]? _small;
    private int _count;
    private BPlusTree<RowSlot>? _large;

    public RowSlotSet(RowSlot first, RowSlot second)
    {
        _small = new RowSlot[4];
        _small[0] = first;
        _count = 1;
        Add(second);
    }

    public int Count => _large?.Count ?? _count;

    public void Add(RowSlot slot)
    {
        if (_large != null)
        {
            _large.TryAdd(slot.StoredPrimaryKey, slot);
            return;
        }
        int index = Search(slot.PrimaryKey);
        if (index >= 0) return;
        index = ~index;
        if (_count == SmallLimit)
        {
            _large = new BPlusTree<RowSlot>();
            for (int i = 0; i < _count; i++) _large.TryAdd(_small![i].StoredPrimaryKey, _small[i]);
            _large.TryAdd(slot.StoredPrimaryKey, slot);
            _small = null;
            _count = 0;
            return;
        }
        if (_count == _small!.Length) Array.Resize(ref _small, _count * 2);
        Array.Copy(_small, index, _small, index + 1, _count - index);
        _small[index] = slot;
        _count++;
    }

    public void Remove(RowSlot slot)
    {
        if (_large != null)
        {
            _large.Remove(slot.PrimaryKey);
            return;
        }
        int index = Search(slot.PrimaryKey);
        if (index < 0) return;
        Array.Copy(_small!, index + 1, _small!, index, _count - index - 1);
        _small![--_count] = null!;
    }

    /// <summary>The row with the smallest primary key.</summary>
    public RowSlot First()
    {
        if (_large == null) return _small![0];
        var cursor = _large.Seek(KeyRange.All);
        cursor.MoveNext();
        return cursor.Value;
    }

    public Cursor GetCursor() => new(this);

    private int Search(ReadOnlySpan<byte> primaryKey)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            int c = KeyComparer.Compare(_small![middle].PrimaryKey, primaryKey);
            if (c == 0) return middle;
            if (c < 0) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    /// <summary>The rows in primary-key order; valid while the set is not modified.</summary>
    public struct Cursor
    {
        private readonly RowSlotSet _set;
        private BPlusTree<RowSlot>.Cursor _large;
        private int _index;

        internal Cursor(RowSlotSet set)
        {
            _set = set;
            _index = -1;
            Current = null!;
            if (set._large != null) _large = set._large.Seek(KeyRange.All);
        }

        public RowSlot Current { get; private set; }

        public bool MoveNext()
        {
            if (_set._large != null)
            {
                if (!_large.MoveNext()) return false;
                Current = _large.Value;
                return true;
            }
            if (++_index >= _set._count) return false;
            Current = _set._small![_index];
            return true;
        }
    }
}
