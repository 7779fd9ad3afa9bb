using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Loads a snapshot into a database as <see cref="SnapshotReader"/> reads it: the catalog's
/// events go to the recovery handler (which creates the tables), then each table's rows are
/// inserted in primary-key order (so the B+tree fills leaves densely) and its sequence set.
/// Every table must exist and be empty; every row must be a row of its table
/// (<see cref="IRecoveryHandler.ValidateRow"/>) and rows must come in strictly increasing key
/// order, with no two sharing a unique index key.
/// </summary>
internal sealed class SnapshotLoader(Database database, IRecoveryHandler handler, string path) : ISnapshotSink
{
    private Table? _table;
    private byte[]? _lastKey;
    private bool _exclusive;

    public NodeCatalog LoadedCatalog { get; private set; } = new();

    public long Rows { get; private set; }

    public void Catalog(NodeCatalog catalog)
    {
        foreach (var e in catalog.Events)
        {
            try
            {
                NodeEvents.Dispatch(handler, database, e);
            }
            catch (RecoveryException error) when (error.File is null)
            {
                throw new RecoveryException($"the snapshot's catalog: {error.Message}", path, innerException: error);
            }
        }
        LoadedCatalog = catalog;
        database.EnterExclusive("load a snapshot");
        _exclusive = true;
    }

    public void Table(string module, string name, ulong nextSequence, long rowCount, long offset)
    {
        if (!database.TryGetTable(module, name, out var table))
        {
            throw new RecoveryException($"the snapshot holds table {module}.{name}, which its catalog's modules did not create", path, offset);
        }
        if (table.Rows.Count != 0) throw new RecoveryException($"table {table} is not empty: a snapshot loads into empty tables", path, offset);
        if (table.Definition.IsEphemeral) throw new RecoveryException($"the snapshot holds rows of {table}, which is ephemeral", path, offset);
        table.NextSequence = nextSequence;
        _table = table;
        _lastKey = null;
    }

    public void Row(ReadOnlySpan<byte> row, long offset)
    {
        var table = _table!;
        var copy = row.ToArray();
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        byte[] primaryKey;
        try
        {
            handler.ValidateRow(table, copy);
            table.Layout.WritePrimaryKey(copy, ref key);
            primaryKey = key.ToArray();
        }
        catch (InvalidRowException e)
        {
            throw new RecoveryException(e.Message, path, offset, e);
        }
        finally
        {
            key.Dispose();
        }
        if (_lastKey != null && primaryKey.AsSpan().SequenceCompareTo(_lastKey) <= 0)
        {
            throw new RecoveryException(
                $"the rows of {table} are not in strictly increasing key order at {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, primaryKey)}",
                path, offset);
        }
        if (UniqueIndexes.Conflict(table, copy, self: null) is { } conflict) throw new RecoveryException($"the snapshot {conflict}", path, offset);
        table.ApplyInsert(primaryKey, copy);
        _lastKey = primaryKey;
        Rows++;
    }

    /// <summary>Gives the database back to other writers (also after a failure).</summary>
    public void Finish()
    {
        if (!_exclusive) return;
        _exclusive = false;
        database.ExitExclusive();
    }
}
