using Interstice.Core.Storage.Indexes;
using Interstice.Core.Transactions;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// The committed rows of one table: by primary key twice, in a <see cref="BPlusTree{TValue}"/>
/// (scans and ranges in key order) and in a hash table (point lookups in a couple of cache
/// misses, however large the table), and in the secondary indexes, all pointing at shared row
/// slots.
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
    internal BPlusTree<RowSlot> Rows { get; } = new();

    /// <summary>The same rows hashed by primary key, for point lookups.</summary>
    internal RowHashTable<RowSlot, PrimaryKeyMatcher> RowsByKey { get; } = new(default);

    internal TableIndex[] Indexes { get; }

    /// <summary>The next value of the auto-increment sequence; 0 once it is exhausted (values start at 1).</summary>
    internal ulong NextSequence { get; set; } = 1;

    /// <summary>The write transaction's view of this table, kept for reuse (there is one writer).</summary>
    internal TableOverlay? Overlay { get; set; }

    internal RowSlot? Find(ReadOnlySpan<byte> primaryKey) => RowsByKey.Find(primaryKey);

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

    /// <summary>A slot for <paramref name="row"/>, which it keeps (the caller has just allocated it and never modifies it), under the key the row has.</summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability.md, A node's start).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal RowSlot CreateSlot(byte[] row)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            Layout.WritePrimaryKey(row, ref key);
            return RowSlot.Adopt(key.Written, row);
        }
        finally
        {
            key.Dispose();
        }
    }

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
        Rows.Remove(primaryKey, out var slot);
        RowsByKey.Remove(primaryKey);
        if (Indexes.Length == 0) return;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(i, slot.Row, ref key);
                Indexes[i].Remove(key.Written, slot);
            }
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Adds a row under a key that is not present; returns false, changing nothing, when it is (replay checks this).</summary>
    internal bool ApplyInsert(ReadOnlySpan<byte> primaryKey, byte[] row) => ApplyInsert(RowSlot.Create(primaryKey, row));

    /// <summary>Adds <paramref name="slot"/> (which keeps its arrays); false, changing nothing, when its key is present.</summary>
    internal bool ApplyInsert(RowSlot slot)
    {
        if (!Rows.TryAdd(slot.StoredPrimaryKey, slot)) return false;
        RowsByKey.TryAdd(slot.PrimaryKey, slot);
        if (Indexes.Length == 0) return true;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            for (int i = 0; i < Indexes.Length; i++)
            {
                key.Reset();
                Layout.WriteIndexKey(i, slot.Row, ref key);
                Indexes[i].Add(key.Written, slot);
            }
        }
        finally
        {
            key.Dispose();
        }
        return true;
    }

    /// <summary>First half of an update: takes the row out of the indexes whose key changes.</summary>
    internal void ApplyUpdateRemovals(ReadOnlySpan<byte> primaryKey, byte[] newRow)
    {
        if (Indexes.Length == 0) return;
        var slot = Find(primaryKey)!;
        ForEachChangedKey(slot.Row, newRow, slot, add: false);
    }

    /// <summary>
    /// Second half of an update: stores the new row and files it under its changed keys (the
    /// row first, so that at every step a slot's row gives the keys the hash indexes file it
    /// under: they read keys out of rows).
    /// </summary>
    internal void ApplyUpdateAdditions(ReadOnlySpan<byte> primaryKey, byte[] newRow)
    {
        var slot = Find(primaryKey)!;
        var oldRow = slot.Row;
        slot.Row = newRow;
        if (Indexes.Length > 0) ForEachChangedKey(oldRow, newRow, slot, add: true);
    }

    private void ForEachChangedKey(byte[] oldRow, byte[] newRow, RowSlot slot, bool add)
    {
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
                if (oldKey.Written.SequenceEqual(newKey.Written)) continue;
                if (add) Indexes[i].Add(newKey.Written, slot);
                else Indexes[i].Remove(oldKey.Written, slot);
            }
        }
        finally
        {
            oldKey.Dispose();
            newKey.Dispose();
        }
    }
}
