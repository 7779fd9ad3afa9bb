using System.Runtime.CompilerServices;
using Interstice.Core.Durability.Format;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Applies a logged transaction's changes to the tables as it reads them, exactly as
/// <see cref="Database.Apply"/> applies a change set (removals first, then additions, then
/// sequences) but without building one: replay is the hot path of recovery. Every change is
/// checked, since storage trusts what it is given: each new row must be a row of its table
/// (<see cref="IRecoveryHandler.ValidateRow"/>), an insert's key must be free and so must its
/// unique index keys, an update's or delete's old row must be the current row. Runs of
/// insert-only transactions into empty tables, keys increasing, are gathered instead and
/// stored at once (<see cref="InsertRuns"/>) when something else comes: call
/// <see cref="Complete"/> before node events and at the end. The caller holds the database
/// exclusively (<see cref="Database.EnterExclusive"/>).
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class ReplayApplier(TableResolver tables, IRecoveryHandler handler)
{
    private Table[] _recordTables = new Table[8];
    private PendingChange[] _changes = new PendingChange[16];
    private Table[] _insertTables = new Table[16];
    private byte[][] _insertRows = new byte[16][];
    private StoredKey[] _insertKeys = new StoredKey[16];
    private readonly InsertRuns _runs = new();
    private readonly ChangedRows _changedRows = new();

    /// <summary>
    /// Stores the rows gathered from runs of insert-only transactions (see <see cref="InsertRuns"/>):
    /// call before anything else reads or changes the tables, and once replay is done.
    /// </summary>
    public void Complete()
    {
        if (!_runs.IsEmpty) _runs.Store();
    }

    /// <summary>Applies the transaction record <paramref name="body"/>, found at <paramref name="offset"/> of <paramref name="file"/>.</summary>
    public void Apply(ReadOnlySpan<byte> body, ulong transactionId, string file, long offset)
    {
        try
        {
            ApplyChecked(body, transactionId, file, offset);
        }
        catch (MalformedDataException e)
        {
            throw new CorruptDataException(file, offset, $"transaction {transactionId}: {e.Reason} (at byte {e.Position} of the record body)");
        }
        catch (InvalidRowException e)
        {
            throw new RecoveryException($"transaction {transactionId}: {e.Message}", file, offset, e);
        }
    }

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyChecked(ReadOnlySpan<byte> body, ulong transactionId, string file, long offset)
    {
        _changedRows.Clear();
        var reader = new TransactionReader(body[LogFormat.RecordHeaderSize..], LogFormat.RecordHeaderSize);
        int tableCount = reader.TableCount;
        if (_recordTables.Length < tableCount) _recordTables = new Table[Math.Max(tableCount, _recordTables.Length * 2)];
        for (int i = 0; i < tableCount; i++)
        {
            reader.ReadTable(out var module, out var name);
            _recordTables[i] = tables.Find(module, name) ?? throw new RecoveryException(
                $"transaction {transactionId} changes table {System.Text.Encoding.UTF8.GetString(module)}.{System.Text.Encoding.UTF8.GetString(name)}, which does not exist",
                file, offset);
        }

        int rowCount = reader.ReadRowCount();
        if (_changes.Length < rowCount) _changes = new PendingChange[Math.Max(rowCount, _changes.Length * 2)];
        bool insertsOnly = true;
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            // Removals first, as Database.Apply does, remembering the additions.
            for (int i = 0; i < rowCount; i++)
            {
                reader.ReadRow(out var kind, out int tableIndex, out var oldRow, out var newRow);
                var table = _recordTables[tableIndex];
                ref var change = ref _changes[i];
                change.Kind = kind;
                change.Table = table;
                if (kind != RowChangeKind.Insert && insertsOnly)
                {
                    // This transaction reads and changes stored rows: store the gathered ones first.
                    insertsOnly = false;
                    Complete();
                }
                switch (kind)
                {
                    case RowChangeKind.Insert:
                        handler.ValidateRow(table, newRow);
                        change.Row = newRow.ToArray();
                        change.PrimaryKey = table.StoredPrimaryKeyOf(change.Row);
                        break;
                    case RowChangeKind.Delete:
                        key.Reset();
                        change.Row = Current(table, oldRow, ref key, "deletes", transactionId, file, offset);
                        // A one-row record cannot change a row twice.
                        if (rowCount > 1) ChangesOnce(table, StoredKey.From(key.Written), transactionId, file, offset);
                        table.ApplyDelete(key.Written);
                        break;
                    default:
                        key.Reset();
                        change.Row = Current(table, oldRow, ref key, "updates", transactionId, file, offset);
                        change.PrimaryKey = StoredKey.From(key.Written);
                        if (rowCount > 1) ChangesOnce(table, change.PrimaryKey, transactionId, file, offset);
                        handler.ValidateRow(table, newRow);
                        change.NewRow = newRow.ToArray();
                        key.Reset();
                        table.Layout.WritePrimaryKey(change.NewRow, ref key);
                        if (!key.Written.SequenceEqual(StoredKey.Bytes(in change.PrimaryKey)))
                        {
                            throw new RecoveryException($"transaction {transactionId} updates a row of {table} and changes its primary key", file, offset);
                        }
                        table.ApplyUpdateRemovals(key.Written, change.NewRow);
                        break;
                }
            }
        }
        finally
        {
            key.Dispose();
        }
        if (insertsOnly && rowCount > 0)
        {
            if (Gather(rowCount, transactionId, file, offset)) rowCount = 0;
            else Complete();
        }
        for (int i = 0; i < rowCount; i++)
        {
            ref var change = ref _changes[i];
            if (change.Kind == RowChangeKind.Insert)
            {
                if (UniqueIndexes.Conflict(change.Table, change.Row!, self: null) is { } conflict)
                    throw new RecoveryException($"transaction {transactionId} {conflict}", file, offset);
                if (!change.Table.ApplyInsert(change.PrimaryKey, change.Row!))
                {
                    throw new RecoveryException(
                        $"transaction {transactionId} inserts into {change.Table} a row with {change.Table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(change.Table.Definition.PrimaryKeyType, StoredKey.Bytes(in change.PrimaryKey))}, which exists",
                        file, offset);
                }
            }
            else if (change.Kind == RowChangeKind.Update)
            {
                if (UniqueIndexes.Conflict(change.Table, change.NewRow!, self: change.Row) is { } conflict)
                    throw new RecoveryException($"transaction {transactionId} {conflict}", file, offset);
                change.Table.ApplyUpdateAdditions(change.PrimaryKey, change.NewRow!);
            }
            change = default;
        }

        int sequenceCount = reader.ReadSequenceCount();
        for (int i = 0; i < sequenceCount; i++)
        {
            reader.ReadSequence(out int tableIndex, out ulong next);
            _recordTables[tableIndex].NextSequence = next;
        }
        reader.End();
        Array.Clear(_recordTables, 0, tableCount);
    }

    /// <summary>Hands an insert-only transaction's rows to the runs; false when they do not extend them.</summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Gather(int rowCount, ulong transactionId, string file, long offset)
    {
        if (_insertRows.Length < rowCount)
        {
            _insertTables = new Table[Math.Max(rowCount, _insertTables.Length * 2)];
            _insertRows = new byte[_insertTables.Length][];
            _insertKeys = new StoredKey[_insertTables.Length];
        }
        for (int i = 0; i < rowCount; i++)
        {
            _insertTables[i] = _changes[i].Table;
            _insertRows[i] = _changes[i].Row!;
            _insertKeys[i] = _changes[i].PrimaryKey;
        }
        bool gathered = _runs.TryAdd(_insertTables.AsSpan(0, rowCount), _insertRows.AsSpan(0, rowCount), _insertKeys.AsSpan(0, rowCount), transactionId, file, offset);
        Array.Clear(_insertTables, 0, rowCount);
        Array.Clear(_insertRows, 0, rowCount);
        Array.Clear(_insertKeys, 0, rowCount);
        if (gathered) Array.Clear(_changes, 0, rowCount);
        return gathered;
    }

    /// <summary>Throws when the record already updated or deleted the row of <paramref name="table"/> with <paramref name="primaryKey"/>.</summary>
    private void ChangesOnce(Table table, in StoredKey primaryKey, ulong transactionId, string file, long offset)
    {
        if (_changedRows.Add(table, primaryKey)) return;
        throw new RecoveryException(
            $"transaction {transactionId} changes the row of {table} with {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, StoredKey.Bytes(in primaryKey))} twice (a transaction logs one change per row)",
            file, offset);
    }

    /// <summary>
    /// The stored row equal to <paramref name="oldRow"/>, which must be the table's current row
    /// under its key; writes that primary key into <paramref name="key"/>.
    /// </summary>
    private static byte[] Current(Table table, ReadOnlySpan<byte> oldRow, ref KeyWriter key, string verb, ulong transactionId, string file, long offset)
    {
        table.Layout.WritePrimaryKey(oldRow, ref key);
        var row = table.Find(key.Written);
        if (row == null)
        {
            throw new RecoveryException(
                $"transaction {transactionId} {verb} a row of {table} with {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, key.Written)}, which does not exist",
                file, offset);
        }
        if (!oldRow.SequenceEqual(row))
        {
            throw new RecoveryException(
                $"transaction {transactionId} {verb} a row of {table} with {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, key.Written)} whose logged old contents differ from the current row",
                file, offset);
        }
        return row;
    }

    private struct PendingChange
    {
        public RowChangeKind Kind;
        public Table Table;
        /// <summary>An insert's new row, or the current row an update or delete replaces.</summary>
        public byte[]? Row;
        /// <summary>An insert's or update's primary key, computed once.</summary>
        public StoredKey PrimaryKey;
        public byte[]? NewRow;
    }
}
