using Interstice.Core.Durability.Format;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Records;

/// <summary>
/// A committed transaction as logged: the inputs the node recorded (opaque to the log: reducer,
/// caller, arguments...) and its change set, without the changes of ephemeral tables.
/// </summary>
public sealed class TransactionRecord : LogRecord
{
    public TransactionRecord(ulong transactionId, long timestamp, ReadOnlyMemory<byte> inputs,
        IReadOnlyList<LoggedRowChange> rows, IReadOnlyList<LoggedSequenceChange> sequences)
        : base(transactionId, timestamp)
    {
        Inputs = inputs;
        Rows = rows;
        Sequences = sequences;
    }

    public override LogRecordKind Kind => LogRecordKind.Transaction;

    public ReadOnlyMemory<byte> Inputs { get; }

    /// <summary>The row changes, in the change set's order.</summary>
    public IReadOnlyList<LoggedRowChange> Rows { get; }

    /// <summary>The sequence moves, in the change set's order.</summary>
    public IReadOnlyList<LoggedSequenceChange> Sequences { get; }
}

/// <summary>One row change of a logged transaction: old row for updates and deletes, new row for inserts and updates.</summary>
public readonly record struct LoggedRowChange(string Module, string Table, RowChangeKind Kind, ReadOnlyMemory<byte> OldRow, ReadOnlyMemory<byte> NewRow);

/// <summary>A logged auto-increment sequence move: the table's sequence generates <see cref="NextValue"/> next (0: exhausted).</summary>
public readonly record struct LoggedSequenceChange(string Module, string Table, ulong NextValue);
