using System.Runtime.CompilerServices;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Loads a snapshot into a database as <see cref="SnapshotReader"/> reads it: the catalog's
/// events go to the recovery handler (which creates the tables), then each table's rows are
/// gathered and the table filled with them at once (<see cref="Table.BulkLoad"/>: trees built
/// bottom-up, hash tables sized once) and its sequence set. Every table must exist and be
/// empty; every row must be a row of its table (<see cref="IRecoveryHandler.ValidateRow"/>) and
/// rows must come in strictly increasing key order, with no two sharing a unique index key.
/// Call <see cref="Complete"/> once the reader is done.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class SnapshotLoader(Database database, IRecoveryHandler handler, string path) : ISnapshotSink
{
    /// <summary>Gathering starts with room for this many rows at most: a damaged count must not reserve gigabytes.</summary>
    private const int MaxInitialRows = 1 << 20;

    private Table? _table;
    private byte[][] _rows = [];
    /// <summary>Each gathered row's primary key, computed once (the order check and the bulk load use it).</summary>
    private StoredKey[] _keys = [];
    /// <summary>The file offset of each gathered row's block, to say where a conflict is.</summary>
    private long[] _offsets = [];
    private int _count;
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
        LoadGathered();
        if (!database.TryGetTable(module, name, out var table))
        {
            throw new RecoveryException($"the snapshot holds table {module}.{name}, which its catalog's modules did not create", path, offset);
        }
        if (table.Rows.Count != 0) throw new RecoveryException($"table {table} is not empty: a snapshot loads into empty tables", path, offset);
        if (table.Definition.IsEphemeral) throw new RecoveryException($"the snapshot holds rows of {table}, which is ephemeral", path, offset);
        table.NextSequence = nextSequence;
        _table = table;
        int capacity = (int)Math.Clamp(rowCount, 0, MaxInitialRows);
        if (_rows.Length < capacity)
        {
            _rows = new byte[capacity][];
            _keys = new StoredKey[capacity];
            _offsets = new long[capacity];
        }
    }

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Row(ReadOnlySpan<byte> row, long offset)
    {
        var table = _table!;
        var copy = row.ToArray();
        StoredKey key;
        try
        {
            handler.ValidateRow(table, copy);
            key = table.StoredPrimaryKeyOf(copy);
        }
        catch (InvalidRowException e)
        {
            throw new RecoveryException(e.Message, path, offset, e);
        }
        var keyBytes = StoredKey.Bytes(in key);
        if (_count > 0 && keyBytes.SequenceCompareTo(StoredKey.Bytes(in _keys[_count - 1])) <= 0)
        {
            throw new RecoveryException(
                $"the rows of {table} are not in strictly increasing key order at {table.Definition.PrimaryKeyColumn} = {KeyFormatter.Format(table.Definition.PrimaryKeyType, keyBytes)}",
                path, offset);
        }
        if (_count == _rows.Length)
        {
            int grown = Math.Max(16, _rows.Length * 2);
            Array.Resize(ref _rows, grown);
            Array.Resize(ref _keys, grown);
            Array.Resize(ref _offsets, grown);
        }
        _rows[_count] = copy;
        _keys[_count] = key;
        _offsets[_count] = offset;
        _count++;
    }

    /// <summary>Fills the last table; call once the reader has read the whole snapshot.</summary>
    public void Complete() => LoadGathered();

    /// <summary>Gives the database back to other writers (also after a failure).</summary>
    public void Finish()
    {
        if (!_exclusive) return;
        _exclusive = false;
        database.ExitExclusive();
    }

    private void LoadGathered()
    {
        if (_table is not { } table) return;
        int count = _count;
        _table = null;
        _count = 0;
        if (count == 0) return;
        var violation = table.BulkLoad(_rows, _keys, count, out int conflicting);
        long offset = violation != null ? _offsets[conflicting] : 0;
        Array.Clear(_rows, 0, count);
        Array.Clear(_keys, 0, count);
        if (violation != null) throw new RecoveryException($"the snapshot {UniqueIndexes.Describe(table, violation)}", path, offset);
        Rows += count;
    }
}
