using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// A hash table from encoded keys to values that know their own key (rows, or sets of them):
/// the point-lookup structure beside a table's B+trees. It stores no keys: each entry is the
/// key's hash and the position of the value in a separate array of values, and
/// <typeparamref name="TKeys"/> says whether a value has a key (by reading the primary key or
/// the index key out of the row).
/// <para>
/// Why positions instead of references: the entries are written at random places (where the
/// hashes send them), and a reference written into an old, large array marks a card that every
/// young-generation garbage collection then scans, until the value it points to is old too.
/// With references in the entries, a table of 10^6 rows had its whole entry array scanned at
/// every collection and inserts paid microseconds for it. The entries hold only integers, and
/// the values array is filled in order (a freed position is reused first), so inserts dirty
/// one card per many values. A lookup pays one more memory access (the values array) for it.
/// </para>
/// <para>
/// Open addressing with linear probing: a probe scans consecutive entries (eight to a cache
/// line) from the key's home position to the first empty one; removals shift later entries
/// back instead of leaving tombstones. The entries double beyond three quarters full and the
/// values array doubles when full: 8 bytes per entry and per value position, 19 to 37 bytes
/// per value. Not thread-safe: any number of readers, or one writer (the owner's reader/writer
/// discipline guarantees it). Probes take spans and allocate nothing.
/// </para>
/// </summary>
internal sealed class RowHashTable<TValue, TKeys>
    where TValue : class
    where TKeys : struct, IKeyMatcher<TValue>
{
    private const int InitialCapacity = 8;

    private readonly TKeys _keys;
    private Entry[] _entries = new Entry[InitialCapacity];
    /// <summary>The values; positions 0 to <see cref="_used"/> - 1 are taken or on the free list.</summary>
    private TValue?[] _values = new TValue?[InitialCapacity];
    private int _used;
    /// <summary>Freed positions of <see cref="_values"/>, reused before new ones.</summary>
    private int[] _free = [];
    private int _freeCount;
    private int _count;

    public RowHashTable(TKeys keys) => _keys = keys;

    /// <summary>The number of values.</summary>
    public int Count => _count;

    /// <summary>The number of entries (a power of two).</summary>
    public int Capacity => _entries.Length;

    /// <summary>The bytes of the table's own arrays (entries, value positions, free list); the values are not counted.</summary>
    public long MemoryBytes => 8L * _entries.Length + 8L * _values.Length + 4L * _free.Length;

    /// <summary>The hash the table files <paramref name="key"/> under (for <see cref="Fill"/>).</summary>
    public int HashOf(ReadOnlySpan<byte> key) => _keys.Hash(key);

    /// <summary>The value with <paramref name="key"/>, or null.</summary>
    public TValue? Find(ReadOnlySpan<byte> key)
    {
        int position = PositionOf(key);
        return position >= 0 ? _values[position] : null;
    }

    /// <summary>The value with <paramref name="key"/> by reference (to replace it), or a null reference.</summary>
    public ref TValue GetValueRefOrNullRef(ReadOnlySpan<byte> key)
    {
        int position = PositionOf(key);
        if (position < 0) return ref Unsafe.NullRef<TValue>();
        return ref _values[position]!;
    }

    /// <summary>
    /// The value with <paramref name="key"/> by reference, so that the caller may replace it;
    /// when there is none, a new entry for <paramref name="key"/> whose value the caller must
    /// set (to a value with that key) before using the table again.
    /// </summary>
    public ref TValue GetValueRefOrAddDefault(ReadOnlySpan<byte> key, out bool exists)
    {
        int hash = _keys.Hash(key);
        if (_count >= _entries.Length - (_entries.Length >> 2)) Grow();
        var entries = _entries;
        var values = _values;
        int mask = entries.Length - 1;
        int i = hash & mask;
        for (; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            if (entry.Position == 0) break;
            if (entry.Hash == hash && _keys.HasKey(values[entry.Position - 1]!, key))
            {
                exists = true;
                return ref values[entry.Position - 1]!;
            }
        }
        exists = false;
        int position = TakePosition();
        _count++;
        entries[i] = new Entry { Hash = hash, Position = position + 1 };
        return ref _values[position]!;
    }

    /// <summary>Adds <paramref name="value"/> under <paramref name="key"/>; false, changing nothing, when the key is present.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key, TValue value)
    {
        ref var slot = ref GetValueRefOrAddDefault(key, out bool exists);
        if (exists) return false;
        slot = value;
        return true;
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> values in all without growing again: a bulk
    /// load sizes the table once instead of doubling (and rehashing) its way up.
    /// </summary>
    public void EnsureCapacity(int count)
    {
        if (count > _values.Length) Array.Resize(ref _values, count);
        int entries = _entries.Length;
        while (count >= entries - (entries >> 2)) entries *= 2;
        if (entries == _entries.Length) return;
        var old = _entries;
        _entries = new Entry[entries];
        Rehash(old, _entries);
    }

    /// <summary>
    /// Fills an empty table with <paramref name="count"/> values at once, value i at position i
    /// under <paramref name="hashes"/>[i] (its key's hash), and returns the first i (by position)
    /// whose key an earlier value has, as <see cref="IKeyMatcher{TValue}.SameKey"/> says of two
    /// values with equal hashes; -1 when the keys are distinct. A repeated key is not added; after one the caller
    /// discards the table (<see cref="Clear"/>).
    /// <para>
    /// The entries are placed in the order of their home entries, front to back, instead of at
    /// the random places the hashes send them one by one: a million inserts would otherwise pay
    /// a cache miss each. Linear probing gives a valid layout in any insertion order, and the
    /// order is stable, so of two values with one key the earlier is placed first.
    /// </para>
    /// </summary>
    /// <exception cref="InvalidOperationException">The table is not empty.</exception>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Fill(TValue[] values, ReadOnlySpan<int> hashes, int count)
    {
        if (_count != 0 || _freeCount != 0) throw new InvalidOperationException("a hash table is filled at once only when it is empty");
        EnsureCapacity(count);
        Array.Copy(values, _values, count);
        var entries = _entries;
        int mask = entries.Length - 1;
        // Each value's hash and position in one integer, sorted by home entry (hash & mask).
        using var pendingBuffer = new NativeBuffer<ulong>(count);
        var pending = pendingBuffer.Span;
        for (int i = 0; i < count; i++) pending[i] = ((ulong)(uint)hashes[i] << 32) | (uint)i;
        SortByHome(pending, mask);
        int conflict = -1;
        int added = 0;
        foreach (ulong item in pending)
        {
            int hash = (int)(item >> 32);
            int position = (int)(uint)item;
            int i = hash & mask;
            bool repeated = false;
            for (; entries[i].Position != 0; i = (i + 1) & mask)
            {
                if (entries[i].Hash == hash && _keys.SameKey(_values[entries[i].Position - 1]!, values[position]))
                {
                    repeated = true;
                    break;
                }
            }
            if (repeated)
            {
                if (conflict < 0 || position < conflict) conflict = position;
                continue;
            }
            entries[i] = new Entry { Hash = hash, Position = position + 1 };
            added++;
        }
        _used = count;
        _count = added;
        return conflict;
    }

    /// <summary>
    /// A least-significant-digit radix sort of hash-and-position pairs (hash in the high half) by
    /// their home entry (hash &amp; <paramref name="mask"/>), 11 bits a pass, stable.
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SortByHome(Span<ulong> items, int mask)
    {
        const int Bits = 11;
        using var scratch = new NativeBuffer<ulong>(items.Length);
        var buffer = scratch.Span;
        var source = items;
        Span<int> starts = stackalloc int[1 << Bits];
        // The loop stops by the mask's width: shift counts wrap in C# (mask >> 33 is mask >> 1),
        // so a test on the shifted mask alone would not end for masks of 2^22 and more.
        for (int low = 0; low < 32 && (mask >> low) != 0; low += Bits)
        {
            int shift = 32 + low;
            ulong digitMask = ((1UL << Bits) - 1) & (ulong)(uint)(mask >> low);
            starts.Clear();
            foreach (ulong item in source) starts[(int)((item >> shift) & digitMask)]++;
            int sum = 0;
            for (int d = 0; d < starts.Length; d++)
            {
                int n = starts[d];
                starts[d] = sum;
                sum += n;
            }
            foreach (ulong item in source) buffer[starts[(int)((item >> shift) & digitMask)]++] = item;
            var sorted = buffer;
            buffer = source;
            source = sorted;
        }
        if (source != items) source.CopyTo(items);
    }

    /// <summary>Removes every value, giving back the arrays.</summary>
    public void Clear()
    {
        _entries = new Entry[InitialCapacity];
        _values = new TValue?[InitialCapacity];
        _used = 0;
        _free = [];
        _freeCount = 0;
        _count = 0;
    }

    /// <summary>Removes the value with <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        int i = IndexOf(key);
        if (i < 0) return false;
        int position = _entries[i].Position - 1;
        _values[position] = null;
        if (_freeCount == _free.Length) Array.Resize(ref _free, Math.Max(InitialCapacity, _free.Length * 2));
        _free[_freeCount++] = position;
        ShiftBack(_entries, i);
        _count--;
        return true;
    }

    /// <summary>The position in the values array of the value with <paramref name="key"/>, or -1.</summary>
    private int PositionOf(ReadOnlySpan<byte> key)
    {
        int i = IndexOf(key);
        return i >= 0 ? _entries[i].Position - 1 : -1;
    }

    /// <summary>The index of the entry with <paramref name="key"/>, or -1.</summary>
    private int IndexOf(ReadOnlySpan<byte> key)
    {
        int hash = _keys.Hash(key);
        var entries = _entries;
        var values = _values;
        int mask = entries.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            if (entry.Position == 0) return -1;
            if (entry.Hash == hash && _keys.HasKey(values[entry.Position - 1]!, key)) return i;
        }
    }

    /// <summary>A free position in the values array: the last one freed, else the next unused one.</summary>
    private int TakePosition()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_used == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        return _used++;
    }

    /// <summary>
    /// Fills the hole at <paramref name="hole"/>: each later entry of the run that may live
    /// there (its home is not in the cyclic range after the hole up to it) moves back into it,
    /// leaving a new hole, until the run ends. Lookups never meet a gap inside a probe run.
    /// </summary>
    private static void ShiftBack(Entry[] entries, int hole)
    {
        int mask = entries.Length - 1;
        for (int i = (hole + 1) & mask; entries[i].Position != 0; i = (i + 1) & mask)
        {
            int home = entries[i].Hash & mask;
            // Distances from the entry's home: it may move back when the hole is no farther than it.
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                entries[hole] = entries[i];
                hole = i;
            }
        }
        entries[hole] = default;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        Rehash(old, _entries);
    }

    private static void Rehash(Entry[] old, Entry[] entries)
    {
        int mask = entries.Length - 1;
        foreach (ref readonly var entry in old.AsSpan())
        {
            if (entry.Position == 0) continue;
            int i = entry.Hash & mask;
            while (entries[i].Position != 0) i = (i + 1) & mask;
            entries[i] = entry;
        }
    }

    /// <summary>
    /// Verifies that every value sits in its probe run, that the count is right, that the
    /// stored hashes are those of the values' keys (<paramref name="keyOf"/> gives a value's
    /// key), and that every value position is used by exactly one entry or free; throws
    /// <see cref="InvalidOperationException"/> naming the first broken rule. For tests.
    /// </summary>
    public void CheckInvariants(Func<TValue, byte[]> keyOf)
    {
        int mask = _entries.Length - 1;
        int count = 0;
        var owners = new int[_used];
        for (int i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[i];
            if (entry.Position == 0) continue;
            count++;
            int position = entry.Position - 1;
            if (position >= _used || owners[position]++ != 0) throw new InvalidOperationException($"entry {i} points at value position {position}, unused or shared");
            var value = _values[position] ?? throw new InvalidOperationException($"entry {i} points at an empty value position {position}");
            if (entry.Hash != _keys.Hash(keyOf(value))) throw new InvalidOperationException($"entry {i} holds a stale hash");
            for (int j = entry.Hash & mask; j != i; j = (j + 1) & mask)
            {
                if (_entries[j].Position == 0) throw new InvalidOperationException($"entry {i} is cut off from its home {entry.Hash & mask} by an empty entry at {j}");
            }
        }
        if (count != _count) throw new InvalidOperationException($"count is {_count} but {count} entries are used");
        for (int f = 0; f < _freeCount; f++)
        {
            int position = _free[f];
            if (owners[position]++ != 0 || _values[position] != null) throw new InvalidOperationException($"free value position {position} is in use or freed twice");
        }
        if (count + _freeCount != _used) throw new InvalidOperationException($"{_used} value positions but {count} used and {_freeCount} free");
    }

    private struct Entry
    {
        public int Hash;
        /// <summary>The value's position in the values array plus one; 0 marks an empty entry.</summary>
        public int Position;
    }
}
