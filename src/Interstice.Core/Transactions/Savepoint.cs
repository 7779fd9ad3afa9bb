namespace Interstice.Core.Transactions;

/// <summary>
/// A point inside a write transaction to which its writes can be rolled back, opened around a
/// nested call (reducer A calls module B's reducer): if B fails, <see cref="Transaction.RollbackTo"/>
/// undoes B's writes and A carries on; if B succeeds, <see cref="Transaction.Release"/> keeps
/// them. Savepoints nest and close innermost first. While none is open, writes record nothing
/// for undo.
/// </summary>
public readonly struct Savepoint
{
    internal Savepoint(int depth, long id)
    {
        Depth = depth;
        Id = id;
    }

    /// <summary>1 for the outermost open savepoint, 2 inside it...</summary>
    public int Depth { get; }

    internal long Id { get; }
}
