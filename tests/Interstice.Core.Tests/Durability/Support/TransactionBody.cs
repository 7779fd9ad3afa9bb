using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Records;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// A transaction record's body taken apart as the log format lays it out (docs/durability.md,
/// Log format), to be changed and put together again: a writer that logs well-formed but wrong
/// transactions (a row in the wrong table, changed twice, an update that was an insert...).
/// </summary>
public sealed class TransactionBody
{
    /// <summary>Kind, transaction id and timestamp, as they were.</summary>
    private readonly byte[] _header;

    private TransactionBody(byte[] header, byte[] inputs, List<LoggedRowChange> rows, List<LoggedSequenceChange> sequences)
    {
        _header = header;
        Inputs = inputs;
        Rows = rows;
        Sequences = sequences;
    }

    public byte[] Inputs { get; set; }

    public List<LoggedRowChange> Rows { get; }

    public List<LoggedSequenceChange> Sequences { get; }

    /// <summary>The body of a transaction record, or null when it is another kind of record.</summary>
    public static TransactionBody? Read(byte[] body) => LogRecordDecoder.Decode(body) is TransactionRecord record
        ? new TransactionBody(body[..LogFormat.RecordHeaderSize], record.Inputs.ToArray(), [.. record.Rows], [.. record.Sequences])
        : null;

    /// <summary>The body again: the header as read, then inputs, the tables named (in order of first use), rows and sequences.</summary>
    public byte[] Write()
    {
        var tables = new List<(string Module, string Table)>();
        int IndexOf(string module, string table)
        {
            int index = tables.IndexOf((module, table));
            if (index >= 0) return index;
            tables.Add((module, table));
            return tables.Count - 1;
        }
        var rows = new BodyWriter();
        foreach (var row in Rows)
        {
            rows.Byte((byte)(row.Kind + 1));
            rows.VarUInt((ulong)IndexOf(row.Module, row.Table));
            if (row.Kind != RowChangeKind.Insert) rows.Bytes(row.OldRow.Span);
            if (row.Kind != RowChangeKind.Delete) rows.Bytes(row.NewRow.Span);
        }
        var sequences = new BodyWriter();
        foreach (var sequence in Sequences)
        {
            sequences.VarUInt((ulong)IndexOf(sequence.Module, sequence.Table));
            sequences.UInt64(sequence.NextValue);
        }
        var body = new BodyWriter();
        body.Raw(_header);
        body.Bytes(Inputs);
        body.VarUInt((ulong)tables.Count);
        foreach (var (module, table) in tables)
        {
            body.String(module);
            body.String(table);
        }
        body.VarUInt((ulong)Rows.Count);
        body.Raw(rows.ToArray());
        body.VarUInt((ulong)Sequences.Count);
        body.Raw(sequences.ToArray());
        return body.ToArray();
    }
}
