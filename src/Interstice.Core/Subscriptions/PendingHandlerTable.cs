using System.Buffers;
using System.Buffers.Binary;
using Interstice.Abi.Encoding;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Subscriptions;

/// <summary>
/// The subscription handlers that committed transactions queued and that have not run yet, as
/// rows of the system table <c>interstice.pending_handlers</c>. A row is written by the
/// transaction whose event queued the handler (or, for a first load's <c>init</c> handlers after
/// the first, by that first handler's transaction) and deleted by the handler's own transaction,
/// which keeps the delete when the handler fails. So the log never holds a transaction without
/// what it owes its handlers: a crash between the two leaves the row, and the next start runs
/// the handler (<see cref="Execution.Executor.RunLeftPendingHandlers"/>). Ids follow the queue's
/// order, so running the rows by id runs them in the order the node would have.
/// </summary>
internal sealed class PendingHandlerTable(TableBinding table)
{
    /// <summary>Where a row is encoded before the table copies it (the node's one writer is the only user).</summary>
    private readonly ArrayBufferWriter<byte> _row = new(256);

    /// <summary>Records a queued call of handler <paramref name="module"/>.<paramref name="reducer"/>; returns its row's id.</summary>
    public ulong Add(Transaction transaction, string module, string reducer, string @event, int depth, ReadOnlySpan<byte> arguments)
    {
        _row.ResetWrittenCount();
        var writer = new ValueWriter(_row);
        writer.WriteU64(0); // auto_inc: the table's sequence gives the id
        writer.WriteString(module);
        writer.WriteString(reducer);
        writer.WriteString(@event);
        writer.WriteU32((uint)depth);
        writer.WriteBytes(arguments);
        var stored = transaction.Insert(table.Storage, _row.WrittenSpan);
        return BinaryPrimitives.ReadUInt64LittleEndian(stored.Span);
    }

    /// <summary>Deletes the row of a handler that runs (or is dropped).</summary>
    public void Delete(Transaction transaction, ulong id)
    {
        Span<byte> key = stackalloc byte[8];
        KeyEncoding.WriteU64(key, id);
        transaction.Delete(table.Storage, key);
    }

    /// <summary>Every row, in id order (the order the handlers were queued).</summary>
    public List<Row> All(Transaction transaction)
    {
        var rows = new List<Row>();
        using var scan = transaction.Scan(table.Storage);
        while (scan.MoveNext())
        {
            var reader = new ValueReader(scan.Current.Span);
            rows.Add(new Row(reader.ReadU64(), reader.ReadString(), reader.ReadString(), reader.ReadString(), (int)reader.ReadU32(), reader.ReadBytes().ToArray()));
        }
        return rows;
    }

    /// <summary>A row of the table, as read back at a start.</summary>
    public readonly record struct Row(ulong Id, string Module, string Reducer, string Event, int Depth, byte[] Arguments);
}
