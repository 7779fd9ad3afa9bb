namespace Interstice.Core.Transactions;

/// <summary>
/// What a committed transaction changed, net: per row touched, an insert, an update (old and
/// new row) or a delete (old row), relative to the committed state it started from, in the
/// order the transaction first touched each row; and the sequences it moved, in the order it
/// first touched their tables. A row written and then restored, or inserted and then
/// deleted, does not appear. This is what the commit log records, what subscriptions fire
/// on, and what <see cref="Storage.Database.Apply"/> applies, whether it comes from
/// <see cref="Transaction.Commit"/> or, on replay, from a <see cref="ChangeSetBuilder"/>.
/// </summary>
public sealed class ChangeSet
{
    private readonly RowChange[] _rows;
    private readonly SequenceChange[] _sequences;

    internal ChangeSet(RowChange[] rows, SequenceChange[] sequences, bool fromTransaction)
    {
        _rows = rows;
        _sequences = sequences;
        FromTransaction = fromTransaction;
    }

    /// <summary>The row changes, in the order the transaction first touched each row.</summary>
    public ReadOnlySpan<RowChange> Rows => _rows;

    /// <summary>The sequence moves, in the order the transaction first touched each table.</summary>
    public ReadOnlySpan<SequenceChange> Sequences => _sequences;

    public bool IsEmpty => _rows.Length == 0 && _sequences.Length == 0;

    /// <summary>True when made by a transaction, whose checks guarantee that applying it cannot fail.</summary>
    internal bool FromTransaction { get; }

    /// <summary>Set once applied; a change set applies once.</summary>
    internal bool Applied { get; set; }
}
