using System.Diagnostics.CodeAnalysis;
using Interstice.Core.Storage;

namespace Interstice.Core.Transactions;

/// <summary>
/// The overlay side of a merging iterator: a cursor over one of the overlay's trees, then,
/// once the overlay is about to change, a copy of what the cursor had left. Holds the current
/// entry's key and row (null: a deleted row).
/// </summary>
internal struct OverlaySource
{
    private BPlusTree<OverlayEntry>.Cursor _cursor;
    private bool _live;
    private (StoredKey Key, byte[]? Row)[]? _copy;
    private StoredKey _key;
    private int _copyIndex;

    public OverlaySource(BPlusTree<OverlayEntry>.Cursor cursor)
    {
        _cursor = cursor;
        _live = true;
    }

    public bool Has { get; private set; }

    /// <summary>The current entry's key.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Key => StoredKey.Bytes(in _key);

    public byte[]? Row { get; private set; }

    public bool MoveNext()
    {
        if (_live)
        {
            Has = _cursor.MoveNext();
            if (Has)
            {
                _key = _cursor.StoredKey;
                Row = _cursor.Value.Row;
            }
        }
        else if (_copy != null && _copyIndex < _copy.Length)
        {
            (_key, Row) = _copy[_copyIndex++];
            Has = true;
        }
        else
        {
            Has = false;
        }
        return Has;
    }

    /// <summary>Keeps the current entry and copies the ones after it, so the overlay may change.</summary>
    public void Detach()
    {
        if (!_live) return;
        var rest = new List<(StoredKey, byte[]?)>();
        var cursor = _cursor;
        while (cursor.MoveNext()) rest.Add((cursor.StoredKey, cursor.Value.Row));
        _copy = rest.ToArray();
        _copyIndex = 0;
        _live = false;
        _cursor = default;
    }
}
