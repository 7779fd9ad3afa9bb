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
internal sealed class IndexIterator : RowIterator
{
    private readonly TableOverlay? _overlay;
    /// <summary>Entries created from this ordinal on did not exist when the iterator opened.</summary>
    private readonly int _snapshotOrdinal;
    /// <summary>Bytes of the index key at the start of overlay keys, skipped to compare with committed merge keys.</summary>
    private readonly int _overlayKeySkip;
    private BPlusTree<RowSlot>.Cursor _committedCursor;
    private RowSlotSet.Cursor _committedSet;
    private RowSlot? _single;
    private CommittedSource _source;
    private OverlaySource _overlaySource;
    private bool _committedHas;
    private StoredKey _committedKey;
    private RowSlot? _committedSlot;
    private bool _started;

    private IndexIterator(Transaction transaction, TableOverlay? overlay, int overlayKeySkip)
        : base(transaction, overlay)
    {
        _overlay = overlay;
        _overlayKeySkip = overlayKeySkip;
        _snapshotOrdinal = overlay?.Session?.TouchLog.Count ?? 0;
    }

    /// <summary>The rows with a key in <paramref name="range"/> of a b-tree index.</summary>
    public static IndexIterator ForRange(Transaction transaction, Table table, TableOverlay? overlay, int index, BTreeIndex btree, in KeyRange range)
    {
        var composite = CompositeKeys.ToCompositeRange(range);
        var iterator = new IndexIterator(transaction, overlay, 0) { _committedCursor = btree.Entries.Seek(composite) };
        if (overlay != null) iterator._overlaySource = new OverlaySource(overlay.Indexes[index].Seek(composite));
        return iterator;
    }

    /// <summary>The rows with <paramref name="key"/> in a hash index.</summary>
    public static IndexIterator ForHashKey(Transaction transaction, Table table, TableOverlay? overlay, int index, HashIndex hash, ReadOnlySpan<byte> key)
    {
        var iterator = new IndexIterator(transaction, overlay, key.Length);
        switch (hash.Lookup(key))
        {
            case RowSlotSet rows:
                iterator._source = CommittedSource.Set;
                iterator._committedSet = rows.GetCursor();
                break;
            case var single:
                iterator._source = CommittedSource.Single;
                iterator._single = (RowSlot?)single;
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
            if (_committedHas && IsTouched(_committedSlot!))
            {
                _committedHas = CommittedMoveNext();
                continue;
            }
            if (!_committedHas && !_overlaySource.Has) return null;
            if (_committedHas && (!_overlaySource.Has
                || KeyComparer.Compare(StoredKey.Bytes(in _committedKey), _overlaySource.Key[_overlayKeySkip..]) < 0))
            {
                var row = _committedSlot!.Row;
                _committedHas = CommittedMoveNext();
                return row;
            }
            var current = _overlaySource.Row;
            _overlaySource.MoveNext();
            return current;
        }
    }

    private protected override void CopyOverlay() => _overlaySource.Detach();

    /// <summary>Advances the committed side; its merge key is the composite (b-tree) or the primary key (hash).</summary>
    private bool CommittedMoveNext()
    {
        switch (_source)
        {
            case CommittedSource.Single:
                if (_single == null) return false;
                _committedSlot = _single;
                _single = null;
                break;
            case CommittedSource.Set:
                if (!_committedSet.MoveNext()) return false;
                _committedSlot = _committedSet.Current;
                break;
            default:
                if (!_committedCursor.MoveNext()) return false;
                _committedSlot = _committedCursor.Value;
                _committedKey = _committedCursor.StoredKey;
                return true;
        }
        _committedKey = _committedSlot.StoredPrimaryKey;
        return true;
    }

    /// <summary>Where committed rows come from: a b-tree index cursor, or a hash index's one row or row set.</summary>
    private enum CommittedSource : byte
    {
        Tree,
        Single,
        Set,
    }

    private bool IsTouched(RowSlot slot) =>
        _overlay != null && _overlay.Rows.Count > 0
        && _overlay.Rows.TryGetValue(slot.PrimaryKey, out var entry) && entry.Ordinal < _snapshotOrdinal;
}
