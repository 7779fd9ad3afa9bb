using Interstice.Core.Storage;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Transactions;

/// <summary>
/// The write transaction's changes to one table, kept beside the committed rows: entries by
/// primary key (deleted ones included, as tombstones) and, per index, the current rows' keys
/// (index key followed by primary key) in B+trees. Every lookup is O(log n) in the overlay
/// size, so a transaction that writes millions of rows still reads and checks quickly.
/// Writes check uniqueness and existence against committed rows plus this overlay, extracting
/// every key before changing anything: a failed write leaves the transaction as it was.
/// One instance per table is reused by successive transactions (there is a single writer).
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class TableOverlay
{
    public TableOverlay(Table table)
    {
        Table = table;
        Indexes = new BPlusTree<OverlayEntry>[table.Indexes.Length];
        for (int i = 0; i < Indexes.Length; i++) Indexes[i] = new BPlusTree<OverlayEntry>();
    }

    public Table Table { get; }

    /// <summary>Every key the transaction touched, live or deleted.</summary>
    public BPlusTree<OverlayEntry> Rows { get; } = new();

    /// <summary>Per index: the live entries by index key followed by primary key.</summary>
    public BPlusTree<OverlayEntry>[] Indexes { get; }

    /// <summary>Rows the transaction added minus rows it removed.</summary>
    public long CountDelta { get; private set; }

    /// <summary>The sequence's next value as the transaction sees it.</summary>
    public ulong NextSequence { get; set; }

    /// <summary>Iterators reading this overlay live (not yet detached onto a copy).</summary>
    public int AttachedIterators { get; set; }

    public WriteSession? Session { get; private set; }

    public void Activate(WriteSession session)
    {
        Session = session;
        NextSequence = Table.NextSequence;
        CountDelta = 0;
    }

    public void Reset()
    {
        Rows.Clear();
        foreach (var index in Indexes) index.Clear();
        CountDelta = 0;
        AttachedIterators = 0;
        Session = null;
    }

    /// <summary>The row the transaction sees for <paramref name="primaryKey"/>, or null.</summary>
    public byte[]? Get(ReadOnlySpan<byte> primaryKey) =>
        Rows.TryGetValue(primaryKey, out var entry) ? entry.Row : Table.Find(primaryKey);

    public byte[] Insert(ReadOnlySpan<byte> source)
    {
        var session = Session!;
        byte[] row = source.ToArray();
        ulong nextSequence = NextSequence;
        if (Table.Definition.AutoIncrement is { } column) nextSequence = AutoIncrement.Apply(Table, column, row, nextSequence);
        var primaryKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Table.Layout.WritePrimaryKey(row, ref primaryKey);
            var key = primaryKey.Written;
            Rows.TryGetValue(key, out var entry);
            if (entry != null ? entry.Row != null : Table.Find(key) != null) throw Table.PrimaryKeyViolation(key);
            var indexKeys = BuildIndexKeys(row, key, entry, committed: null);
            session.BeforeWrite(this);
            if (entry == null) entry = session.CreateEntry(this, key.ToArray(), committedRow: null);
            else session.RecordChange(entry);
            SetCurrent(entry, row, indexKeys);
            if (nextSequence != NextSequence) session.SetSequence(this, nextSequence);
            return row;
        }
        finally
        {
            primaryKey.Dispose();
        }
    }

    public void Update(ReadOnlySpan<byte> source)
    {
        var session = Session!;
        byte[] row = source.ToArray();
        var primaryKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Table.Layout.WritePrimaryKey(row, ref primaryKey);
            var key = primaryKey.Written;
            byte[]? committed = null;
            if (Rows.TryGetValue(key, out var entry))
            {
                if (entry.Row == null) throw Table.NotFound(key);
            }
            else
            {
                committed = Table.Find(key) ?? throw Table.NotFound(key);
            }
            var indexKeys = BuildIndexKeys(row, key, entry, committed);
            session.BeforeWrite(this);
            if (entry == null) entry = session.CreateEntry(this, key.ToArray(), committed!);
            else session.RecordChange(entry);
            SetCurrent(entry, row, indexKeys);
        }
        finally
        {
            primaryKey.Dispose();
        }
    }

    public bool Delete(ReadOnlySpan<byte> primaryKey)
    {
        var session = Session!;
        if (Rows.TryGetValue(primaryKey, out var entry))
        {
            if (entry.Row == null) return false;
            session.BeforeWrite(this);
            session.RecordChange(entry);
        }
        else
        {
            var committed = Table.Find(primaryKey);
            if (committed == null) return false;
            session.BeforeWrite(this);
            entry = session.CreateEntry(this, primaryKey.ToArray(), committed);
        }
        SetCurrent(entry, null, null);
        return true;
    }

    /// <summary>
    /// Moves <paramref name="entry"/> to a new state, refiling it in the index trees (keys that
    /// did not change stay put) and keeping <see cref="CountDelta"/>. Also used to undo.
    /// </summary>
    public void SetCurrent(OverlayEntry entry, byte[]? row, byte[][]? indexKeys)
    {
        var previous = entry.IndexKeys;
        for (int i = 0; i < Indexes.Length; i++)
        {
            var before = previous?[i];
            var after = indexKeys?[i];
            if (ReferenceEquals(before, after)) continue;
            if (before != null) Indexes[i].Remove(before);
            if (after != null) Indexes[i].TryAdd(after, entry);
        }
        CountDelta += (row != null ? 1 : 0) - (entry.Row != null ? 1 : 0);
        entry.Row = row;
        entry.IndexKeys = indexKeys;
    }

    /// <summary>
    /// Extracts the overlay index keys of <paramref name="row"/> (whose primary key is
    /// <paramref name="primaryKey"/>), checking unique indexes; keys equal to those
    /// <paramref name="self"/> already has are reused, so unchanged keys cost no allocation.
    /// A unique key the row keeps is not checked again (two probes, which miss the cache in a
    /// large table): a key of the row's current version in the transaction (<paramref name="self"/>'s),
    /// or, at the row's first write, of its <paramref name="committed"/> version. The row holds
    /// it alone: any other row given it since the row got it would have been refused.
    /// </summary>
    private byte[][]? BuildIndexKeys(byte[] row, ReadOnlySpan<byte> primaryKey, OverlayEntry? self, byte[]? committed)
    {
        if (Indexes.Length == 0) return null;
        var keys = new byte[Indexes.Length][];
        var previous = self?.IndexKeys;
        var composite = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var committedKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                composite.Reset();
                Table.Layout.WriteIndexKey(i, row, ref composite);
                int keyLength = composite.Length;
                composite.WriteEncoded(primaryKey);
                var written = composite.Written;
                bool kept = previous != null && previous[i].AsSpan().SequenceEqual(written);
                if (Table.Indexes[i].Definition.IsUnique && !kept && !HasIndexKey(committed, i, written[..keyLength], ref committedKey))
                {
                    CheckUnique(i, written[..keyLength], primaryKey, self);
                }
                keys[i] = kept ? previous![i] : written.ToArray();
            }
        }
        finally
        {
            composite.Dispose();
            committedKey.Dispose();
        }
        return keys;
    }

    /// <summary>True when <paramref name="row"/> is not null and its key in index <paramref name="index"/> is <paramref name="key"/> (written into <paramref name="buffer"/>).</summary>
    private bool HasIndexKey(byte[]? row, int index, ReadOnlySpan<byte> key, ref KeyWriter buffer)
    {
        if (row == null) return false;
        buffer.Reset();
        Table.Layout.WriteIndexKey(index, row, ref buffer);
        return buffer.Written.SequenceEqual(key);
    }

    /// <summary>Throws when a row other than <paramref name="primaryKey"/>'s has <paramref name="key"/> in unique index <paramref name="index"/>.</summary>
    private void CheckUnique(int index, ReadOnlySpan<byte> key, ReadOnlySpan<byte> primaryKey, OverlayEntry? self)
    {
        // Rows this transaction wrote: the overlay tree holds their current keys.
        if (Indexes[index].TryGetFirstAtOrAfter(key, out var found, out var other)
            && found.StartsWith(key) && other != self)
        {
            throw Table.IndexViolation(index, key);
        }
        // Committed rows count unless the transaction touched them (then the overlay decides).
        var committed = Table.Indexes[index].FindAny(key);
        if (committed == null) return;
        var committedKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Table.Layout.WritePrimaryKey(committed, ref committedKey);
            if (!committedKey.Written.SequenceEqual(primaryKey) && !Rows.ContainsKey(committedKey.Written))
            {
                throw Table.IndexViolation(index, key);
            }
        }
        finally
        {
            committedKey.Dispose();
        }
    }
}
