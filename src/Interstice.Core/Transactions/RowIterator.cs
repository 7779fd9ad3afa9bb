namespace Interstice.Core.Transactions;

/// <summary>
/// Rows read through a <see cref="Transaction"/>, one at a time, in a deterministic order:
/// <c>while (it.MoveNext()) use(it.Current);</c> or <c>foreach</c>. Rows are not copied.
/// The iterator sees the table as it was when it was opened, even if the transaction writes
/// to it meanwhile. It is valid until its transaction ends, and, when opened after a savepoint,
/// until that savepoint is rolled back; dispose it when done so that writes stop tracking it.
/// </summary>
public abstract class RowIterator : IDisposable
{
    private readonly Transaction _transaction;
    private byte[]? _current;
    private bool _disposed;
    private bool _invalidated;

    private protected RowIterator(Transaction transaction, TableOverlay? overlay)
    {
        _transaction = transaction;
        var session = transaction.WriteSession;
        if (session != null)
        {
            Serial = session.RegisterIterator(this);
            if (overlay != null)
            {
                AttachedOverlay = overlay;
                overlay.AttachedIterators++;
            }
        }
    }

    /// <summary>The current row (after <see cref="MoveNext"/> returned true).</summary>
    public ReadOnlyMemory<byte> Current => _current;

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _transaction.ThrowIfEnded();
        if (_invalidated) throw new InvalidOperationException("the iterator was opened after a savepoint that has been rolled back");
        _current = Next();
        return _current != null;
    }

    /// <summary>Lets <c>foreach</c> walk the iterator.</summary>
    public RowIterator GetEnumerator() => this;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var session = _transaction.WriteSession;
        if (session == null || !_transaction.IsActive) return;
        if (AttachedOverlay != null)
        {
            AttachedOverlay.AttachedIterators--;
            AttachedOverlay = null;
        }
        session.UnregisterIterator(this);
    }

    /// <summary>Order of opening within the write transaction (for savepoint rollback).</summary>
    internal long Serial { get; }

    /// <summary>The overlay this iterator reads live, until a write to it makes the iterator copy its part.</summary>
    internal TableOverlay? AttachedOverlay { get; private set; }

    /// <summary>The next row, or null at the end.</summary>
    private protected abstract byte[]? Next();

    /// <summary>Copies the rest of the overlay's part of the range, before the overlay changes.</summary>
    private protected abstract void CopyOverlay();

    internal void Detach()
    {
        CopyOverlay();
        AttachedOverlay!.AttachedIterators--;
        AttachedOverlay = null;
    }

    internal void Invalidate()
    {
        _invalidated = true;
        if (AttachedOverlay != null)
        {
            AttachedOverlay.AttachedIterators--;
            AttachedOverlay = null;
        }
    }
}
