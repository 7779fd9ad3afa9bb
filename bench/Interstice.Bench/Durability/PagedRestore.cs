using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Bench.Durability;

/// <summary>
/// A yardstick for the replay goal: what a start could do if rows were not objects at all. The
/// log's segments are read into memory and kept there as the pages the rows live in; every row
/// is a position in them (segment, offset, length), and the structures a table needs are built
/// over positions, with the node's own building blocks: frame checks and CRC, the transaction
/// reader, the compiled row check, stored keys, the primary-key B+tree built bottom-up, hash
/// tables filled in home order, the B-tree index's radix sort; the primary-key structures and
/// each index built side by side on the cores, as <see cref="Table.BulkLoad"/> does. Nothing is
/// stored in the table: readers, updates and snapshots over such pages do not exist. Left out,
/// as less than a start does: segment headers and their chain, each record header's checks,
/// records other than the bench table's (node events, the system tables), and restoring the
/// module from its binary (the "empty" start of the benchmark's table). The yardstick covers
/// what the bench directory holds (insert-only transactions, a non-unique B-tree index of
/// short keys, a unique hash index) and says so otherwise.
/// </summary>
internal sealed class PagedRestore(string directory, Table table)
{
    private readonly RowLayout _layout = (RowLayout)table.Definition.Layout;
    private readonly byte[] _module = System.Text.Encoding.UTF8.GetBytes(table.Module);
    private readonly byte[] _name = System.Text.Encoding.UTF8.GetBytes(table.Name);
    private byte[][] _pages = [];

    /// <summary>Restores the rows of the bench table from the log as positions; returns how many.</summary>
    public int Restore()
    {
        var segments = new DataDirectory(directory).ListSegments();
        // A position keeps the segment in bits 56 to 62 (7 bits: the sign bit stays clear), the offset in the 32 below, the length in the low 24.
        if (segments.Count > 127) throw new BenchmarkException("the paged-restore yardstick covers logs of at most 127 segments");
        _pages = new byte[segments.Count][];
        for (int s = 0; s < segments.Count; s++) _pages[s] = ReadWhole(segments[s].Path);
        var (positions, keys, count) = Gather();
        var built = new object[2 + table.Indexes.Length];
        var parts = new Action[1 + table.Indexes.Length];
        parts[0] = () =>
        {
            var tree = new BPlusTree<long>();
            tree.BuildSorted(count, i => keys[i], positions);
            var hashes = new int[count];
            for (int i = 0; i < count; i++) hashes[i] = KeyComparer.Hash(StoredKey.Bytes(in keys[i]));
            built[0] = tree;
            // The keys were checked strictly increasing: no two are equal.
            built[1] = FillByHome(hashes, count, sameKey: null);
        };
        for (int x = 0; x < table.Indexes.Length; x++)
        {
            int index = x;
            var definition = table.Indexes[index].Definition;
            // The bench table's indexes: a non-unique B-tree index and a unique hash index.
            if (definition.Kind == IndexKind.BTree == definition.IsUnique)
            {
                throw new BenchmarkException($"the paged-restore yardstick covers non-unique B-tree and unique hash indexes, not the {definition}");
            }
            parts[1 + index] = definition.Kind == IndexKind.BTree
                ? () => built[2 + index] = BuildBTreeIndex(index, positions, keys, count)
                : () => built[2 + index] = BuildUniqueHashIndex(index, positions, count);
        }
        Parallel.Invoke(parts);
        GC.KeepAlive(built);
        return count;
    }

    private static byte[] ReadWhole(string path)
    {
        using var file = File.OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        var page = GC.AllocateUninitializedArray<byte>(checked((int)length));
        for (int at = 0; at < page.Length;)
        {
            int read = RandomAccess.Read(file, page.AsSpan(at, Math.Min(1 << 20, page.Length - at)), at);
            if (read == 0) throw new BenchmarkException($"{path} ended early");
            at += read;
        }
        return page;
    }

    /// <summary>Checks every record and row and notes each row's position and primary key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (long[] Positions, StoredKey[] Keys, int Count) Gather()
    {
        var positions = new long[1 << 16];
        var keys = new StoredKey[1 << 16];
        int count = 0;
        for (int s = 0; s < _pages.Length; s++)
        {
            var page = _pages[s];
            ref byte origin = ref MemoryMarshal.GetArrayDataReference(page);
            for (int at = LogFormat.SegmentHeaderSize; at < page.Length;)
            {
                if (RecordFrame.Check(page.AsSpan(at), LogFormat.RecordHeaderSize, LogFormat.MaxBodySize, out int bodyLength, out string reason) != FrameStatus.Valid)
                {
                    throw new BenchmarkException($"segment {s} at byte {at}: {reason}");
                }
                var body = page.AsSpan(at + LogFormat.FrameHeaderSize, bodyLength);
                at += LogFormat.FrameHeaderSize + bodyLength;
                if ((LogRecordKind)body[0] != LogRecordKind.Transaction) continue;
                var reader = new TransactionReader(body[LogFormat.RecordHeaderSize..], LogFormat.RecordHeaderSize);
                int target = -1;
                for (int t = 0; t < reader.TableCount; t++)
                {
                    reader.ReadTable(out var module, out var name);
                    if (module.SequenceEqual(_module) && name.SequenceEqual(_name)) target = t;
                }
                int changes = reader.ReadRowCount();
                for (int i = 0; i < changes; i++)
                {
                    reader.ReadRow(out var kind, out int changed, out _, out var row);
                    if (changed != target) continue;
                    if (kind != RowChangeKind.Insert) throw new BenchmarkException("the paged-restore yardstick covers insert-only logs");
                    if (row.Length >= 1 << 24) throw new BenchmarkException("the paged-restore yardstick covers rows under 16 MiB");
                    _layout.Validate(row);
                    var key = StoredKey.PrimaryKeyOf(_layout, row);
                    if (count > 0 && KeyComparer.Compare(StoredKey.Bytes(in keys[count - 1]), StoredKey.Bytes(in key)) >= 0)
                    {
                        throw new BenchmarkException("the paged-restore yardstick covers rows logged in increasing primary-key order");
                    }
                    if (count == positions.Length)
                    {
                        Array.Resize(ref positions, count * 2);
                        Array.Resize(ref keys, count * 2);
                    }
                    long offset = Unsafe.ByteOffset(ref origin, ref MemoryMarshal.GetReference(row));
                    positions[count] = ((long)s << 56) | (offset << 24) | (uint)row.Length;
                    keys[count] = key;
                    count++;
                }
            }
        }
        return (positions, keys, count);
    }

    /// <summary>The row at <paramref name="position"/> (segment in bits 56 to 62, the sign bit clear; offset in the 32 below; length in the low 24).</summary>
    private ReadOnlySpan<byte> Row(long position) =>
        _pages[(int)((ulong)position >> 56)].AsSpan((int)((position >> 24) & 0xFFFF_FFFF), (int)(position & 0xFF_FFFF));

    /// <summary>Composite keys (index key, primary key) radix-sorted, then a B+tree of positions built bottom-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BPlusTree<long> BuildBTreeIndex(int index, long[] positions, StoredKey[] keys, int count)
    {
        var heads = new UInt128[count];
        byte[]? tag = null;
        int keyLength = -1;
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                composite.Reset();
                _layout.WriteIndexKey(index, Row(positions[i]), ref composite);
                if (keyLength != composite.Length && keyLength >= 0) throw new BenchmarkException("the paged-restore yardstick covers B-tree index keys of one length");
                keyLength = composite.Length;
                composite.WriteEncoded(StoredKey.Bytes(in keys[i]));
                var stored = StoredKey.From(composite.Written);
                if (!StoredKey.IsLengthTag(stored.Array)) throw new BenchmarkException("the paged-restore yardstick covers B-tree index keys that fit a stored key's head");
                // One index key length and one primary key length: every composite has the same length tag.
                if (tag != null && !ReferenceEquals(tag, stored.Array)) throw new BenchmarkException("the paged-restore yardstick covers composite keys of one length");
                tag = stored.Array;
                heads[i] = StoredKey.Order(stored.Head);
            }
        }
        finally
        {
            composite.Dispose();
        }
        var order = new int[count];
        PrefixSort.Sort(heads, order, keyLength);
        var sorted = new long[count];
        for (int i = 0; i < count; i++)
        {
            heads[i] = StoredKey.Order(heads[i]);
            sorted[i] = positions[order[i]];
        }
        var tree = new BPlusTree<long>();
        tree.BuildSorted(count, i => StoredKey.FromParts(tag!, heads[i]), sorted);
        return tree;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long[] BuildUniqueHashIndex(int index, long[] positions, int count)
    {
        var hashes = new int[count];
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < count; i++)
            {
                key.Reset();
                _layout.WriteIndexKey(index, Row(positions[i]), ref key);
                hashes[i] = KeyComparer.Hash(key.Written);
            }
        }
        finally
        {
            key.Dispose();
        }
        return FillByHome(hashes, count, (a, b) => SameIndexKey(index, positions[a], positions[b]));
    }

    private bool SameIndexKey(int index, long a, long b)
    {
        var first = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var second = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            _layout.WriteIndexKey(index, Row(a), ref first);
            _layout.WriteIndexKey(index, Row(b), ref second);
            return first.Written.SequenceEqual(second.Written);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    /// <summary>
    /// A hash table of row numbers filled as RowHashTable.Fill does: (hash, row) pairs radix-sorted
    /// by home entry (with RowHashTable's own sort), then filed front to back with linear probing.
    /// With <paramref name="sameKey"/>, a row whose key an earlier one has is refused (a unique index).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] FillByHome(int[] hashes, int count, Func<int, int, bool>? sameKey)
    {
        int mask = (int)BitOperations.RoundUpToPowerOf2((uint)(count * 4 / 3 + 1)) - 1;
        var entries = new long[mask + 1];
        var pending = new ulong[count];
        for (int i = 0; i < count; i++) pending[i] = ((ulong)(uint)hashes[i] << 32) | (uint)i;
        // The sort depends on neither of RowHashTable's type arguments: any closed type serves.
        RowHashTable<byte[], PrimaryKeyMatcher>.SortByHome(pending, mask);
        foreach (ulong item in pending)
        {
            int hash = (int)(item >> 32);
            int row = (int)(uint)item;
            int at = hash & mask;
            for (; entries[at] != 0; at = (at + 1) & mask)
            {
                if (sameKey != null && (int)(entries[at] >> 32) == hash && sameKey((int)entries[at] - 1, row))
                {
                    throw new BenchmarkException($"row {row} repeats a unique index key");
                }
            }
            entries[at] = ((long)hash << 32) | (uint)(row + 1);
        }
        return entries;
    }
}
