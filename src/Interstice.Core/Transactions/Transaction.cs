using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Transactions;

/// <summary>
/// A view of the database's tables through which a reducer call tree writes (a write
/// transaction, see <see cref="Database.BeginTransaction"/>) or a query reads (a read-only one,
/// see <see cref="Database.BeginReadOnly"/>). A write transaction keeps its writes in an
/// overlay over committed state; every read merges the two (read-your-writes) and comes out in
/// the same deterministic order as a read of committed state: primary-key order for scans,
/// (index key, primary key) order for index reads. Keys are encoded keys (see
/// <see cref="KeyEncoding"/>); indexes are numbered as in <see cref="TableDefinition.Indexes"/>.
/// <para>
/// Errors: a write that would duplicate a primary key or a unique index key throws
/// <see cref="UniqueViolationException"/>; an update of a missing row throws
/// <see cref="RowNotFoundException"/>; a row the layout cannot read throws
/// <see cref="InvalidRowException"/>; writing through a read-only transaction throws
/// <see cref="ReadOnlyTransactionException"/>. A failed write changes nothing. Using the
/// transaction after it ended throws <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Iterators see the table as it was when they were opened: writes made while one is open
/// are not seen by it (it keeps its own copy of the overlay's part of its range once the
/// table is written), so a loop may update or insert rows as it goes.
/// </para>
/// Not thread-safe: one transaction is used by one thread at a time.
/// </summary>
public sealed class Transaction : IDisposable
{
    private readonly Database _database;
    private readonly WriteSession? _session;
    private readonly int _readerThread;
    private bool _ended;

    internal Transaction(Database database, WriteSession? session, int readerThread)
    {
        _database = database;
        _session = session;
        _readerThread = readerThread;
    }

    public bool IsReadOnly => _session == null;

    /// <summary>False once committed, rolled back or disposed.</summary>
    public bool IsActive => !_ended;

    /// <summary>
    /// Inserts <paramref name="row"/> (copied) and returns the row as stored, with its
    /// auto-increment value filled in if the table has one.
    /// </summary>
    public ReadOnlyMemory<byte> Insert(Table table, ReadOnlySpan<byte> row) => Writable(table, "insert into").Insert(row);

    /// <summary>
    /// Replaces the row with <paramref name="row"/>'s primary key by <paramref name="row"/>;
    /// throws <see cref="RowNotFoundException"/> when there is none. The primary key cannot
    /// change: it is what identifies the row.
    /// </summary>
    public void Update(Table table, ReadOnlySpan<byte> row) => Writable(table, "update").Update(row);

    /// <summary>Deletes the row with <paramref name="primaryKey"/>; false (and no change) when there is none.</summary>
    public bool Delete(Table table, ReadOnlySpan<byte> primaryKey) => Writable(table, "delete from").Delete(primaryKey);

    /// <summary>The row with <paramref name="primaryKey"/>, without copying.</summary>
    public bool TryGet(Table table, ReadOnlySpan<byte> primaryKey, out ReadOnlyMemory<byte> row)
    {
        var overlay = Readable(table);
        var found = overlay != null ? overlay.Get(primaryKey) : table.Find(primaryKey);
        row = found;
        return found != null;
    }

    /// <summary>The number of rows the transaction sees in <paramref name="table"/>.</summary>
    public long Count(Table table)
    {
        var overlay = Readable(table);
        return table.Rows.Count + (overlay?.CountDelta ?? 0);
    }

    /// <summary>The value <paramref name="table"/>'s auto-increment sequence would generate next (0: exhausted).</summary>
    public ulong NextSequenceValue(Table table) => Readable(table)?.NextSequence ?? table.NextSequence;

    /// <summary>Every row of <paramref name="table"/>, in primary-key order.</summary>
    public RowIterator Scan(Table table) => Scan(table, KeyRange.All);

    /// <summary>The rows whose primary key is in <paramref name="range"/>, in primary-key order.</summary>
    public RowIterator Scan(Table table, in KeyRange range)
    {
        var overlay = Readable(table);
        return new PrimaryKeyIterator(this, table, overlay, range);
    }

    /// <summary>The rows whose key in index <paramref name="index"/> equals <paramref name="key"/>, in primary-key order.</summary>
    public RowIterator Find(Table table, int index, ReadOnlySpan<byte> key)
    {
        var overlay = Readable(table);
        var tableIndex = Index(table, index);
        if (tableIndex is HashIndex hash) return IndexIterator.ForHashKey(this, table, overlay, index, hash, key);
        var keyArray = key.ToArray();
        return IndexIterator.ForRange(this, table, overlay, index, (BTreeIndex)tableIndex, KeyRange.Exactly(keyArray));
    }

    /// <summary>
    /// The rows whose key in b-tree index <paramref name="index"/> is in <paramref name="range"/>,
    /// in (index key, primary key) order.
    /// </summary>
    public RowIterator Range(Table table, int index, in KeyRange range)
    {
        var overlay = Readable(table);
        if (Index(table, index) is not BTreeIndex btree)
        {
            throw new ArgumentException($"index {table.Definition.Indexes[index].Name} of {table} is a hash index: range scans need a btree index", nameof(index));
        }
        return IndexIterator.ForRange(this, table, overlay, index, btree, range);
    }

    /// <summary>Opens a savepoint (around a nested call); see <see cref="Savepoint"/>.</summary>
    public Savepoint CreateSavepoint() => Session("open a savepoint").OpenSavepoint();

    /// <summary>Undoes every write since <paramref name="savepoint"/> and closes it (and invalidates iterators opened since).</summary>
    public void RollbackTo(Savepoint savepoint) => Session("roll back to a savepoint").RollbackTo(savepoint);

    /// <summary>Closes <paramref name="savepoint"/>, keeping its writes.</summary>
    public void Release(Savepoint savepoint) => Session("release a savepoint").Release(savepoint);

    /// <summary>
    /// The net effect of the write transaction so far, as <see cref="Commit"/> would return it,
    /// without ending it: for the node to record, in the same transaction, what that effect
    /// queues (its subscription handlers). The change set is not to be applied.
    /// </summary>
    internal ChangeSet PendingChanges() => Session("read the pending changes").BuildChangeSet();

    /// <summary>
    /// Whether the write transaction has written to a table <paramref name="matches"/> accepts
    /// (a write may have been undone since: <see cref="PendingChanges"/> says what is left).
    /// </summary>
    internal bool WroteTo(Predicate<Table> matches)
    {
        foreach (var overlay in Session("list the tables written").Touched)
        {
            if (matches(overlay.Table)) return true;
        }
        return false;
    }

    /// <summary>
    /// Ends the write transaction and returns its net effect. Nothing is visible to readers
    /// until the change set is passed to <see cref="Database.Apply"/>, which must happen before
    /// the next write transaction begins (an empty change set is already applied). Savepoints
    /// must be closed first.
    /// </summary>
    public ChangeSet Commit()
    {
        var session = Session("commit");
        if (session.SavepointDepth > 0) throw new InvalidOperationException($"{session.SavepointDepth} savepoint(s) are still open: release or roll back them before committing");
        var changes = session.BuildChangeSet();
        _ended = true;
        session.Reset();
        _database.OnCommitted(changes);
        return changes;
    }

    /// <summary>Discards every write of the transaction.</summary>
    public void Rollback()
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        End();
    }

    /// <summary>Rolls back a write transaction that was not committed; ends a read-only one.</summary>
    public void Dispose()
    {
        if (!_ended) End();
    }

    internal WriteSession? WriteSession => _session;

    internal void ThrowIfEnded() => ObjectDisposedException.ThrowIf(_ended, this);

    private void End()
    {
        _ended = true;
        if (_session == null)
        {
            _database.ExitRead(_readerThread);
            return;
        }
        _session.Reset();
        _database.OnRolledBack();
    }

    private WriteSession Session(string what)
    {
        ThrowIfEnded();
        return _session ?? throw new InvalidOperationException($"cannot {what}: the transaction is read-only");
    }

    private TableOverlay? Readable(Table table)
    {
        ThrowIfEnded();
        CheckTable(table);
        return _session?.Find(table);
    }

    private TableOverlay Writable(Table table, string operation)
    {
        ThrowIfEnded();
        CheckTable(table);
        if (_session == null) throw new ReadOnlyTransactionException(table.QualifiedName, operation);
        return _session.Touch(table);
    }

    private void CheckTable(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Database != _database) throw new ArgumentException($"table {table} belongs to another database", nameof(table));
        if (table.IsDropped) throw new InvalidOperationException($"table {table} was dropped");
    }

    private static TableIndex Index(Table table, int index)
    {
        if ((uint)index >= (uint)table.Indexes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{table} has {table.Indexes.Length} index(es)");
        }
        return table.Indexes[index];
    }
}
