using Interstice.Core.Storage.Indexes;
using Interstice.Core.Transactions;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// The committed rows of one table: by primary key twice, in a <see cref="BPlusTree{TValue}"/>
/// (scans and ranges in key order) and in a hash table (point lookups in a couple of cache
/// misses, however large the table), and in the secondary indexes, all holding the same row
/// arrays: a row is one object, whatever number of structures file it. Rows are immutable: an
/// update files a new array in place of the old one everywhere.
/// Read it through a <see cref="Transaction"/>; it changes only when the <see cref="Database"/>
/// applies a <see cref="ChangeSet"/>.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
public sealed partial class Table
{
    internal Table(Database database, int id, string module, TableDefinition definition)
    {
        Database = database;
        Id = id;
        Module = module;
        Definition = definition;
        QualifiedName = module + "." + definition.Name;
        Layout = definition.Layout;
        RowsByKey = new(new PrimaryKeyMatcher(Layout));
        Indexes = new TableIndex[definition.Indexes.Count];
        for (int i = 0; i < Indexes.Length; i++) Indexes[i] = TableIndex.Create(definition.Indexes[i], Layout, i);
    }

    /// <summary>A number unique among the tables this database has ever created.</summary>
    public int Id { get; }

    /// <summary>The module that owns the table.</summary>
    public string Module { get; }

    public string Name => Definition.Name;

    /// <summary><c>module.table</c>, as error messages name it.</summary>
    public string QualifiedName { get; }

    public TableDefinition Definition { get; }

    /// <summary>True once the table was dropped; it can no longer be read or written.</summary>
    public bool IsDropped { get; internal set; }

    public override string ToString() => QualifiedName;

    internal Database Database { get; }

    internal ITableLayout Layout { get; }

    /// <summary>Committed rows in primary-key order.</summary>
    internal BPlusTree<byte[]> Rows { get; } = new();

    /// <summary>The same rows hashed by primary key, for point lookups.</summary>
    internal RowHashTable<byte[], PrimaryKeyMatcher> RowsByKey { get; }

    internal TableIndex[] Indexes { get; }

    /// <summary>The next value of the auto-increment sequence; 0 once it is exhausted (values start at 1).</summary>
    internal ulong NextSequence { get; set; } = 1;

    /// <summary>The write transaction's view of this table, kept for reuse (there is one writer).</summary>
    internal TableOverlay? Overlay { get; set; }

    internal byte[]? Find(ReadOnlySpan<byte> primaryKey) => RowsByKey.Find(primaryKey);

    /// <summary>The primary-key encoding of <paramref name="row"/>, as a new array.</summary>
    internal byte[] PrimaryKeyOf(ReadOnlySpan<byte> row)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Layout.WritePrimaryKey(row, ref key);
            return key.ToArray();
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>The primary key of <paramref name="row"/> as the primary-key B+tree stores it (a copy when longer than 16 bytes).</summary>
    internal StoredKey StoredPrimaryKeyOf(byte[] row) => StoredKey.PrimaryKeyOf(Layout, row);

    internal UniqueViolationException PrimaryKeyViolation(ReadOnlySpan<byte> primaryKey) => new(
        QualifiedName, UniqueViolationException.PrimaryKeyIndex, Definition.PrimaryKeyColumn,
        KeyFormatter.Format(Definition.PrimaryKeyType, primaryKey));

    internal UniqueViolationException IndexViolation(int index, ReadOnlySpan<byte> key)
    {
        var definition = Definition.Indexes[index];
        return new(QualifiedName, definition.Name, definition.Column, KeyFormatter.Format(definition.KeyType, key));
    }

    internal RowNotFoundException NotFound(ReadOnlySpan<byte> primaryKey) => new(
        QualifiedName, Definition.PrimaryKeyColumn, KeyFormatter.Format(Definition.PrimaryKeyType, primaryKey));

    // Applying changes. Database.Apply calls the removals of a whole change set, then the
    // additions, so that keys moving between rows (a swap of unique values) never collide.

    internal void ApplyDelete(ReadOnlySpan<byte> primaryKey)
    {
        Rows.Remove(primaryKey, out var row);
        RowsByKey.Remove(primaryKey);
        if (Indexes.Length == 0) return;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(i, row, ref key);
                Indexes[i].Remove(key.Written, primaryKey);
            }
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>
    /// Adds <paramref name="row"/> (kept, not copied: rows are never modified) under its primary
    /// key <paramref name="primaryKey"/>; returns false, changing nothing, when the key is present
    /// (replay checks this).
    /// </summary>
    internal bool ApplyInsert(in StoredKey primaryKey, byte[] row)
    {
        if (!Rows.TryAdd(primaryKey, row)) return false;
        var keyBytes = StoredKey.Bytes(in primaryKey);
        RowsByKey.TryAdd(keyBytes, row);
        if (Indexes.Length == 0) return true;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(i, row, ref key);
                Indexes[i].Add(key.Written, primaryKey, row);
            }
        }
        finally
        {
            key.Dispose();
        }
        return true;
    }

    /// <summary>First half of an update: takes the current row out from under the index keys that change.</summary>
    internal void ApplyUpdateRemovals(ReadOnlySpan<byte> primaryKey, byte[] newRow)
    {
        if (Indexes.Length == 0) return;
        var oldRow = Find(primaryKey)!;
        var oldKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var newKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                oldKey.Reset();
                newKey.Reset();
                Layout.WriteIndexKey(i, oldRow, ref oldKey);
                Layout.WriteIndexKey(i, newRow, ref newKey);
                if (!oldKey.Written.SequenceEqual(newKey.Written)) Indexes[i].Remove(oldKey.Written, primaryKey);
            }
        }
        finally
        {
            oldKey.Dispose();
            newKey.Dispose();
        }
    }

    /// <summary>
    /// Second half of an update: files <paramref name="newRow"/> in place of the current row
    /// everywhere: as the primary-key tree's and hash table's value, under the index keys that
    /// changed (added), and in place of the old row under those that did not. The tree writes
    /// copy-on-write, so a frozen view (a snapshot's cut) keeps the old row.
    /// </summary>
    internal void ApplyUpdateAdditions(in StoredKey primaryKey, byte[] newRow)
    {
        var keyBytes = StoredKey.Bytes(in primaryKey);
        ref var stored = ref RowsByKey.GetValueRefOrNullRef(keyBytes);
        var oldRow = stored;
        stored = newRow;
        Rows.TryReplace(keyBytes, newRow);
        if (Indexes.Length == 0) return;
        var oldKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var newKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                oldKey.Reset();
                newKey.Reset();
                Layout.WriteIndexKey(i, oldRow, ref oldKey);
                Layout.WriteIndexKey(i, newRow, ref newKey);
                if (oldKey.Written.SequenceEqual(newKey.Written)) Indexes[i].Replace(newKey.Written, keyBytes, newRow);
                else Indexes[i].Add(newKey.Written, primaryKey, newRow);
            }
        }
        finally
        {
            oldKey.Dispose();
            newKey.Dispose();
        }
    }
}
