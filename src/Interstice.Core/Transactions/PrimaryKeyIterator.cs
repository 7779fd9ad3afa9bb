using Interstice.Core.Storage;

namespace Interstice.Core.Transactions;

/// <summary>
/// Rows in primary-key order: committed rows merged with the overlay's entries by key. Where
/// both have a key, the overlay's entry wins (its row, or nothing if deleted).
/// </summary>
internal sealed class PrimaryKeyIterator : RowIterator
{
    private BPlusTree<byte[]>.Cursor _committed;
    private OverlaySource _overlay;
    private bool _committedHas;
    private bool _started;

    public PrimaryKeyIterator(Transaction transaction, Table table, TableOverlay? overlay, in KeyRange range)
        : base(transaction, overlay)
    {
        _committed = table.Rows.Seek(range);
        if (overlay != null) _overlay = new OverlaySource(overlay.Rows.Seek(range));
    }

    private protected override byte[]? Next()
    {
        if (!_started)
        {
            _started = true;
            _committedHas = _committed.MoveNext();
            _overlay.MoveNext();
        }
        while (_committedHas || _overlay.Has)
        {
            int order = !_overlay.Has ? -1 : !_committedHas ? 1 : KeyComparer.Compare(_committed.Key, _overlay.Key);
            if (order < 0)
            {
                var row = _committed.Value;
                _committedHas = _committed.MoveNext();
                return row;
            }
            if (order == 0) _committedHas = _committed.MoveNext();
            var current = _overlay.Row;
            _overlay.MoveNext();
            if (current != null) return current;
        }
        return null;
    }

    private protected override void CopyOverlay() => _overlay.Detach();
}
