using Interstice.Core.Storage;

namespace Interstice.Core.Transactions;

/// <summary>
/// The state of the write transaction: the overlays it touched, its entries in touch order,
/// its savepoints with their undo log, and its open iterators. There is one writer per
/// database, so the database keeps one session and reuses it (and its lists) for every write
/// transaction: beginning one allocates almost nothing.
/// </summary>
internal sealed class WriteSession
{
    private readonly List<UndoRecord> _undo = [];
    private readonly List<Frame> _savepoints = [];
    private long _lastIteratorSerial;
    private long _lastSavepointId;

    /// <summary>Overlays in the order the transaction first touched their tables.</summary>
    public List<TableOverlay> Touched { get; } = [];

    /// <summary>Every entry in the order it was created; entry ordinals index this list.</summary>
    public List<OverlayEntry> TouchLog { get; } = [];

    /// <summary>Iterators opened by the transaction and not disposed, oldest first.</summary>
    public List<RowIterator> Iterators { get; } = [];

    public int SavepointDepth => _savepoints.Count;

    /// <summary>The overlay of <paramref name="table"/>, activated for this transaction on first use.</summary>
    public TableOverlay Touch(Table table)
    {
        var overlay = table.Overlay ??= new TableOverlay(table);
        if (overlay.Session != this)
        {
            overlay.Activate(this);
            Touched.Add(overlay);
        }
        return overlay;
    }

    /// <summary>The overlay of <paramref name="table"/> if this transaction touched it.</summary>
    public TableOverlay? Find(Table table) => table.Overlay is { } overlay && overlay.Session == this ? overlay : null;

    /// <summary>Called before any change to <paramref name="overlay"/>: iterators reading it live switch to a copy.</summary>
    public void BeforeWrite(TableOverlay overlay)
    {
        if (overlay.AttachedIterators == 0) return;
        foreach (var iterator in Iterators)
        {
            if (iterator.AttachedOverlay == overlay) iterator.Detach();
        }
    }

    public OverlayEntry CreateEntry(TableOverlay overlay, byte[] primaryKey, byte[]? committedRow)
    {
        var entry = new OverlayEntry(overlay, primaryKey, committedRow, TouchLog.Count);
        overlay.Rows.TryAdd(primaryKey, entry);
        TouchLog.Add(entry);
        if (_savepoints.Count > 0) _undo.Add(UndoRecord.Created(entry));
        return entry;
    }

    /// <summary>Remembers an existing entry's state before it changes, if a savepoint could need it.</summary>
    public void RecordChange(OverlayEntry entry)
    {
        if (_savepoints.Count == 0) return;
        var innermost = _savepoints[^1];
        // An entry created after the innermost savepoint is dropped whole by rolling back to
        // any open savepoint; an entry already recorded since it opened is restored by that
        // first record (undo runs newest first). Either way, nothing more to keep.
        if (entry.Ordinal >= innermost.TouchMark || entry.SavedAt == innermost.Id) return;
        entry.SavedAt = innermost.Id;
        _undo.Add(UndoRecord.Changed(entry));
    }

    public void SetSequence(TableOverlay overlay, ulong next)
    {
        if (_savepoints.Count > 0) _undo.Add(UndoRecord.SequenceMoved(overlay));
        overlay.NextSequence = next;
    }

    public Savepoint OpenSavepoint()
    {
        var frame = new Frame(_undo.Count, TouchLog.Count, _lastIteratorSerial, ++_lastSavepointId);
        _savepoints.Add(frame);
        return new Savepoint(_savepoints.Count, frame.Id);
    }

    public void RollbackTo(Savepoint savepoint)
    {
        var frame = Innermost(savepoint);
        for (int i = _undo.Count - 1; i >= frame.UndoMark; i--) Undo(_undo[i]);
        _undo.RemoveRange(frame.UndoMark, _undo.Count - frame.UndoMark);
        TouchLog.RemoveRange(frame.TouchMark, TouchLog.Count - frame.TouchMark);
        // Iterators opened inside the failed call read state that no longer exists.
        for (int i = Iterators.Count - 1; i >= 0 && Iterators[i].Serial > frame.IteratorMark; i--)
        {
            Iterators[i].Invalidate();
            Iterators.RemoveAt(i);
        }
        _savepoints.RemoveAt(_savepoints.Count - 1);
    }

    public void Release(Savepoint savepoint)
    {
        Innermost(savepoint);
        _savepoints.RemoveAt(_savepoints.Count - 1);
        // With no savepoint left, only a full rollback remains, which needs no undo log.
        if (_savepoints.Count == 0) _undo.Clear();
    }

    public long RegisterIterator(RowIterator iterator)
    {
        Iterators.Add(iterator);
        return ++_lastIteratorSerial;
    }

    public void UnregisterIterator(RowIterator iterator)
    {
        int index = Iterators.LastIndexOf(iterator);
        if (index >= 0) Iterators.RemoveAt(index);
    }

    /// <summary>The net effect of the transaction, in touch order.</summary>
    public ChangeSet BuildChangeSet()
    {
        int rowCount = 0;
        foreach (var entry in TouchLog)
        {
            if (NetKind(entry) != null) rowCount++;
        }
        var rows = rowCount == 0 ? [] : new RowChange[rowCount];
        int next = 0;
        foreach (var entry in TouchLog)
        {
            var kind = NetKind(entry);
            if (kind == null) continue;
            var table = entry.Overlay.Table;
            rows[next++] = kind switch
            {
                RowChangeKind.Insert => new RowChange(table, RowChangeKind.Insert, entry.PrimaryKey, null, entry.Row),
                RowChangeKind.Delete => new RowChange(table, RowChangeKind.Delete, entry.PrimaryKey, entry.CommittedRow, null),
                _ => new RowChange(table, RowChangeKind.Update, entry.PrimaryKey, entry.CommittedRow, entry.Row),
            };
        }
        int sequenceCount = 0;
        foreach (var overlay in Touched)
        {
            if (overlay.NextSequence != overlay.Table.NextSequence) sequenceCount++;
        }
        var sequences = sequenceCount == 0 ? [] : new SequenceChange[sequenceCount];
        next = 0;
        foreach (var overlay in Touched)
        {
            if (overlay.NextSequence != overlay.Table.NextSequence) sequences[next++] = new SequenceChange(overlay.Table, overlay.NextSequence);
        }
        return new ChangeSet(rows, sequences, fromTransaction: true);
    }

    /// <summary>Forgets everything, ready for the next transaction.</summary>
    public void Reset()
    {
        foreach (var overlay in Touched) overlay.Reset();
        Touched.Clear();
        TouchLog.Clear();
        _undo.Clear();
        _savepoints.Clear();
        Iterators.Clear();
    }

    private static RowChangeKind? NetKind(OverlayEntry entry)
    {
        var committed = entry.CommittedRow;
        var current = entry.Row;
        if (committed == null) return current == null ? null : RowChangeKind.Insert;
        if (current == null) return RowChangeKind.Delete;
        return ReferenceEquals(committed, current) || committed.AsSpan().SequenceEqual(current) ? null : RowChangeKind.Update;
    }

    private void Undo(in UndoRecord record)
    {
        var overlay = record.Overlay;
        BeforeWrite(overlay);
        switch (record.Kind)
        {
            case UndoKind.Created:
                var entry = record.Entry!;
                overlay.SetCurrent(entry, entry.CommittedRow, null);
                overlay.Rows.Remove(entry.PrimaryKey);
                break;
            case UndoKind.Changed:
                overlay.SetCurrent(record.Entry!, record.Row, record.IndexKeys);
                break;
            case UndoKind.Sequence:
                overlay.NextSequence = record.Sequence;
                break;
        }
    }

    private Frame Innermost(Savepoint savepoint)
    {
        if (_savepoints.Count == 0 || savepoint.Depth != _savepoints.Count || savepoint.Id != _savepoints[^1].Id)
        {
            throw new InvalidOperationException(
                $"savepoint {savepoint.Depth} is not the innermost open savepoint ({_savepoints.Count} open): close savepoints innermost first");
        }
        return _savepoints[^1];
    }

    private readonly record struct Frame(int UndoMark, int TouchMark, long IteratorMark, long Id);
}
