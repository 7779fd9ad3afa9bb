namespace Interstice.Core.Transactions;

/// <summary>One step back, recorded while a savepoint is open.</summary>
internal readonly struct UndoRecord
{
    private UndoRecord(UndoKind kind, TableOverlay overlay, OverlayEntry? entry, byte[]? row, byte[][]? indexKeys, ulong sequence)
    {
        Kind = kind;
        Overlay = overlay;
        Entry = entry;
        Row = row;
        IndexKeys = indexKeys;
        Sequence = sequence;
    }

    public UndoKind Kind { get; }
    public TableOverlay Overlay { get; }
    public OverlayEntry? Entry { get; }
    public byte[]? Row { get; }
    public byte[][]? IndexKeys { get; }
    public ulong Sequence { get; }

    /// <summary>The entry did not exist.</summary>
    public static UndoRecord Created(OverlayEntry entry) => new(UndoKind.Created, entry.Overlay, entry, null, null, 0);

    /// <summary>The entry had this row and these index keys.</summary>
    public static UndoRecord Changed(OverlayEntry entry) => new(UndoKind.Changed, entry.Overlay, entry, entry.Row, entry.IndexKeys, 0);

    /// <summary>The overlay's sequence had this next value.</summary>
    public static UndoRecord SequenceMoved(TableOverlay overlay) => new(UndoKind.Sequence, overlay, null, null, null, overlay.NextSequence);
}

internal enum UndoKind : byte
{
    Created,
    Changed,
    Sequence,
}
