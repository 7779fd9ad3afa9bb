using System.Runtime.CompilerServices;
using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Transactions;

/// <summary>
/// Rows by secondary index: committed index entries merged with the overlay's index tree.
/// A committed row the transaction has touched is skipped (its current version, if any, is in
/// the overlay's tree under its current key), so rows whose key changed move to the right
/// place. Both sides come in (index key, primary key) order; for a hash index all keys are
/// equal and the merge is by primary key.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal sealed class IndexIterator : RowIterator
{
    private readonly TableOverlay? _overlay;
    /// <summary>Reads the primary key out of a committed row where the committed side does not hold it.</summary>
    private readonly ITableLayout _layout;
    /// <summary>Entries created from this ordinal on did not exist when the iterator opened.</summary>
    private readonly int _snapshotOrdinal;
    /// <summary>Bytes of the index key at the start of overlay keys, skipped to compare with committed merge keys.</summary>
    private readonly int _overlayKeySkip;
    private BPlusTree<byte[]>.Cursor _committedCursor;
    private RowSet.Cursor _committedSet;
    private byte[]? _single;
    private CommittedSource _source;
    private OverlaySource _overlaySource;
    private bool _committedHas;
    private byte[]? _committedRow;
    /// <summary>
    /// The committed row's primary key, once read out of it (with pending writes, the merge
    /// asks for it at each step until the row is returned): in <see cref="_shortKey"/>'s head when
    /// it fits (no allocation), else in <see cref="_longKey"/>, a buffer reused from row to row.
    /// <see cref="_primaryKeyLength"/> is -1 until read.
    /// </summary>
    private StoredKey _shortKey;
    private byte[]? _longKey;
    private int _primaryKeyLength = -1;
    private bool _started;

    private IndexIterator(Transaction transaction, Table table, TableOverlay? overlay, int overlayKeySkip)
        : base(transaction, overlay)
    {
        _overlay = overlay;
        _layout = table.Layout;
        _overlayKeySkip = overlayKeySkip;
        _snapshotOrdinal = overlay?.Session?.TouchLog.Count ?? 0;
    }

    /// <summary>The rows with a key in <paramref name="range"/> of a b-tree index.</summary>
    public static IndexIterator ForRange(Transaction transaction, Table table, TableOverlay? overlay, int index, BTreeIndex btree, in KeyRange range)
    {
        var composite = CompositeKeys.ToCompositeRange(range);
        var iterator = new IndexIterator(transaction, table, overlay, 0) { _committedCursor = btree.Entries.Seek(composite) };
        if (overlay != null) iterator._overlaySource = new OverlaySource(overlay.Indexes[index].Seek(composite));
        return iterator;
    }

    /// <summary>The rows with <paramref name="key"/> in a hash index.</summary>
    public static IndexIterator ForHashKey(Transaction transaction, Table table, TableOverlay? overlay, int index, HashIndex hash, ReadOnlySpan<byte> key)
    {
        var iterator = new IndexIterator(transaction, table, overlay, key.Length);
        switch (hash.Lookup(key))
        {
            case RowSet rows:
                iterator._source = CommittedSource.Set;
                iterator._committedSet = rows.GetCursor();
                break;
            case var single:
                iterator._source = CommittedSource.Single;
                iterator._single = (byte[]?)single;
                break;
        }
        if (overlay != null) iterator._overlaySource = new OverlaySource(overlay.Indexes[index].Seek(CompositeKeys.WithKey(key.ToArray())));
        return iterator;
    }

    private protected override byte[]? Next()
    {
        if (!_started)
        {
            _started = true;
            _committedHas = CommittedMoveNext();
            _overlaySource.MoveNext();
        }
        while (true)
        {
            if (_committedHas && IsTouched())
            {
                _committedHas = CommittedMoveNext();
                continue;
            }
            if (!_committedHas && !_overlaySource.Has) return null;
            if (_committedHas && (!_overlaySource.Has || CompareCommitted(_overlaySource.Key[_overlayKeySkip..]) < 0))
            {
                var row = _committedRow!;
                _committedHas = CommittedMoveNext();
                return row;
            }
            var current = _overlaySource.Row;
            _overlaySource.MoveNext();
            return current;
        }
    }

    private protected override void CopyOverlay() => _overlaySource.Detach();

    /// <summary>Advances the committed side; its merge key is read only when an overlay entry is compared with it.</summary>
    private bool CommittedMoveNext()
    {
        _primaryKeyLength = -1;
        switch (_source)
        {
            case CommittedSource.Single:
                if (_single == null) return false;
                _committedRow = _single;
                _single = null;
                return true;
            case CommittedSource.Set:
                if (!_committedSet.MoveNext()) return false;
                _committedRow = _committedSet.Current;
                return true;
            default:
                if (!_committedCursor.MoveNext()) return false;
                _committedRow = _committedCursor.Value;
                return true;
        }
    }

    /// <summary>
    /// Compares the committed row's merge key (its composite key in a b-tree index, its primary
    /// key in a hash index) with an overlay entry's (<paramref name="overlayKey"/>, cut to the same form).
    /// </summary>
    private int CompareCommitted(ReadOnlySpan<byte> overlayKey)
    {
        if (_source == CommittedSource.Tree) return KeyComparer.Compare(_committedCursor.Key, overlayKey);
        if (_source == CommittedSource.Set)
        {
            var stored = _committedSet.PrimaryKey;
            return KeyComparer.Compare(StoredKey.Bytes(in stored), overlayKey);
        }
        return KeyComparer.Compare(CommittedRowPrimaryKey(), overlayKey);
    }

    /// <summary>The committed row's primary key, read out of the row the first time it is asked for.</summary>
    private ReadOnlySpan<byte> CommittedRowPrimaryKey()
    {
        if (_primaryKeyLength < 0)
        {
            var primaryKey = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
            try
            {
                _layout.WritePrimaryKey(_committedRow!, ref primaryKey);
                if (primaryKey.Length <= StoredKey.HeadLength) _shortKey = StoredKey.From(primaryKey.Written);
                else
                {
                    if (_longKey == null || _longKey.Length < primaryKey.Length) _longKey = new byte[primaryKey.Length];
                    primaryKey.Written.CopyTo(_longKey);
                }
                _primaryKeyLength = primaryKey.Length;
            }
            finally
            {
                primaryKey.Dispose();
            }
        }
        return _primaryKeyLength <= StoredKey.HeadLength ? StoredKey.Bytes(in _shortKey) : _longKey.AsSpan(0, _primaryKeyLength);
    }

    /// <summary>Where committed rows come from: a b-tree index cursor, or a hash index's one row or row set.</summary>
    private enum CommittedSource : byte
    {
        Tree,
        Single,
        Set,
    }

    /// <summary>True when the transaction touched the committed row before the iterator opened (the overlay then has its current version).</summary>
    private bool IsTouched()
    {
        if (_overlay == null || _overlay.Rows.Count == 0) return false;
        if (_source == CommittedSource.Set)
        {
            var stored = _committedSet.PrimaryKey;
            return IsTouched(StoredKey.Bytes(in stored));
        }
        return IsTouched(CommittedRowPrimaryKey());
    }

    private bool IsTouched(ReadOnlySpan<byte> primaryKey) =>
        _overlay!.Rows.TryGetValue(primaryKey, out var entry) && entry.Ordinal < _snapshotOrdinal;
}
