using System.Text;
using Interstice.Core.Durability.Records;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Format;

/// <summary>Decodes a record body into a <see cref="LogRecord"/> (copies every byte string it keeps).</summary>
internal static class LogRecordDecoder
{
    /// <summary>Throws <see cref="MalformedDataException"/> (position relative to the body) when the body cannot be decoded.</summary>
    public static LogRecord Decode(ReadOnlySpan<byte> body)
    {
        var reader = new FieldReader(body);
        var header = RecordHeader.Read(ref reader);
        if (header.Kind != LogRecordKind.Transaction)
        {
            var payload = new FieldReader(body[LogFormat.RecordHeaderSize..]);
            try
            {
                return NodeEventRecord.Read(header.Kind, header.TransactionId, header.Timestamp, ref payload);
            }
            catch (MalformedDataException e)
            {
                throw new MalformedDataException(e.Reason, LogFormat.RecordHeaderSize + e.Position);
            }
        }

        var transaction = new TransactionReader(body[LogFormat.RecordHeaderSize..], LogFormat.RecordHeaderSize);
        var inputs = transaction.Inputs.ToArray();
        var tables = new (string Module, string Table)[transaction.TableCount];
        for (int i = 0; i < tables.Length; i++)
        {
            transaction.ReadTable(out var module, out var table);
            tables[i] = (Utf8(module, "module name"), Utf8(table, "table name"));
        }
        var rows = new LoggedRowChange[transaction.ReadRowCount()];
        for (int i = 0; i < rows.Length; i++)
        {
            transaction.ReadRow(out var kind, out int table, out var oldRow, out var newRow);
            rows[i] = new LoggedRowChange(tables[table].Module, tables[table].Table, kind,
                kind == RowChangeKind.Insert ? default : oldRow.ToArray(),
                kind == RowChangeKind.Delete ? default : newRow.ToArray());
        }
        var sequences = new LoggedSequenceChange[transaction.ReadSequenceCount()];
        for (int i = 0; i < sequences.Length; i++)
        {
            transaction.ReadSequence(out int table, out ulong next);
            sequences[i] = new LoggedSequenceChange(tables[table].Module, tables[table].Table, next);
        }
        transaction.End();
        return new TransactionRecord(header.TransactionId, header.Timestamp, inputs, rows, sequences);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return FieldReader.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedDataException($"a {what} is not valid UTF-8", 0);
        }
    }
}
