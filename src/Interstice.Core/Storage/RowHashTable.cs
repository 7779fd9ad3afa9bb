using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interstice.Core.Storage;

/// <summary>
/// A hash table from encoded keys to values that know their own key (row slots, or sets of
/// them): the point-lookup structure beside a table's B+trees. It stores no keys: each entry
/// is the key's hash and the value, and <typeparamref name="TKeys"/> says whether a value has
/// a key (by the slot's primary-key array, or by reading the index key out of the row). So a
/// lookup touches one entry, then the value it returns, and the table costs 16 bytes per entry.
/// <para>
/// Open addressing with linear probing: a probe scans consecutive entries (four to a cache
/// line) from the key's home position to the first empty one; removals shift later entries
/// back instead of leaving tombstones. The table doubles beyond three quarters full, so it
/// holds between 21 and 43 bytes per value. Not thread-safe: any number of readers, or one
/// writer (the owner's reader/writer discipline guarantees it). Probes take spans and
/// allocate nothing.
/// </para>
/// </summary>
internal sealed class RowHashTable<TValue, TKeys>
    where TValue : class
    where TKeys : struct, IKeyMatcher<TValue>
{
    private const int InitialCapacity = 8;

    private readonly TKeys _keys;
    private Entry[] _entries = new Entry[InitialCapacity];
    private int _count;

    public RowHashTable(TKeys keys) => _keys = keys;

    /// <summary>The number of values.</summary>
    public int Count => _count;

    /// <summary>The number of entries (a power of two): the table's memory is 16 bytes each.</summary>
    public int Capacity => _entries.Length;

    /// <summary>The value with <paramref name="key"/>, or null.</summary>
    public TValue? Find(ReadOnlySpan<byte> key)
    {
        int i = IndexOf(key);
        return i >= 0 ? _entries[i].Value : null;
    }

    /// <summary>The value with <paramref name="key"/> by reference (to replace it), or a null reference.</summary>
    public ref TValue GetValueRefOrNullRef(ReadOnlySpan<byte> key)
    {
        int i = IndexOf(key);
        if (i < 0) return ref Unsafe.NullRef<TValue>();
        return ref _entries[i].Value!;
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
        int mask = entries.Length - 1;
        int i = hash & mask;
        for (; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            if (entry.Value == null) break;
            if (entry.Hash == hash && _keys.HasKey(entry.Value, key))
            {
                exists = true;
                return ref entry.Value!;
            }
        }
        exists = false;
        _count++;
        entries[i].Hash = hash;
        return ref entries[i].Value!;
    }

    /// <summary>Adds <paramref name="value"/> under <paramref name="key"/>; false, changing nothing, when the key is present.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key, TValue value)
    {
        ref var slot = ref GetValueRefOrAddDefault(key, out bool exists);
        if (exists) return false;
        slot = value;
        return true;
    }

    /// <summary>Removes the value with <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        int i = IndexOf(key);
        if (i < 0) return false;
        ShiftBack(_entries, i);
        _count--;
        return true;
    }

    /// <summary>The position of the entry with <paramref name="key"/>, or -1.</summary>
    private int IndexOf(ReadOnlySpan<byte> key)
    {
        int hash = _keys.Hash(key);
        var entries = _entries;
        int mask = entries.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            var value = entry.Value;
            if (value == null) return -1;
            if (entry.Hash == hash && _keys.HasKey(value, key)) return i;
        }
    }

    /// <summary>
    /// Fills the hole at <paramref name="hole"/>: each later entry of the run that may live
    /// there (its home is not in the cyclic range after the hole up to it) moves back into it,
    /// leaving a new hole, until the run ends. Lookups never meet a gap inside a probe run.
    /// </summary>
    private static void ShiftBack(Entry[] entries, int hole)
    {
        int mask = entries.Length - 1;
        for (int i = (hole + 1) & mask; entries[i].Value != null; i = (i + 1) & mask)
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
        var entries = new Entry[old.Length * 2];
        int mask = entries.Length - 1;
        foreach (ref readonly var entry in old.AsSpan())
        {
            if (entry.Value == null) continue;
            int i = entry.Hash & mask;
            while (entries[i].Value != null) i = (i + 1) & mask;
            entries[i] = entry;
        }
        _entries = entries;
    }

    /// <summary>
    /// Verifies that every value sits in its probe run, that the count is right and that the
    /// stored hashes are those of the values' keys (<paramref name="keyOf"/> gives a value's
    /// key); throws <see cref="InvalidOperationException"/> naming the first broken rule. For tests.
    /// </summary>
    public void CheckInvariants(Func<TValue, byte[]> keyOf)
    {
        int mask = _entries.Length - 1;
        int count = 0;
        for (int i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[i];
            if (entry.Value == null) continue;
            count++;
            if (entry.Hash != _keys.Hash(keyOf(entry.Value))) throw new InvalidOperationException($"entry {i} holds a stale hash");
            for (int j = entry.Hash & mask; j != i; j = (j + 1) & mask)
            {
                if (_entries[j].Value == null) throw new InvalidOperationException($"entry {i} is cut off from its home {entry.Hash & mask} by an empty entry at {j}");
            }
        }
        if (count != _count) throw new InvalidOperationException($"count is {_count} but {count} entries are used");
    }

    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public int Hash;
        public TValue? Value;
    }
}
