namespace Interstice.Core.Transactions;

/// <summary>
/// What a transaction did to one row (one primary key) of one table: the committed row it
/// found at first touch and the row it has now. Once a row has an entry, the entry alone
/// decides what the transaction sees for that key; the committed row is hidden.
/// </summary>
internal sealed class OverlayEntry
{
    public OverlayEntry(TableOverlay overlay, byte[] primaryKey, byte[]? committedRow, int ordinal)
    {
        Overlay = overlay;
        PrimaryKey = primaryKey;
        CommittedRow = committedRow;
        Row = committedRow;
        Ordinal = ordinal;
    }

    public readonly TableOverlay Overlay;

    public readonly byte[] PrimaryKey;

    /// <summary>The committed row when the transaction first touched the key; null when there was none.</summary>
    public readonly byte[]? CommittedRow;

    /// <summary>The row as the transaction sees it now; null when deleted.</summary>
    public byte[]? Row;

    /// <summary>
    /// The keys under which the current row is filed in the overlay's index trees, one per
    /// index (index key followed by primary key); null while the row is deleted or before the
    /// entry was first written.
    /// </summary>
    public byte[][]? IndexKeys;

    /// <summary>Position in the transaction's touch order: change sets list rows in this order.</summary>
    public readonly int Ordinal;

    /// <summary>The savepoint whose undo log last recorded this entry's state (0: none).</summary>
    public long SavedAt;
}
