using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Records;
using System.Runtime.CompilerServices;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// Reads and checks a snapshot: header, every block's checksum, the order of blocks, row
/// counts against each table's, and the totals of the end block. Any problem throws
/// <see cref="CorruptDataException"/> naming the file, the block's offset and the reason; a
/// snapshot that does not end with its end block was cut short.
/// </summary>
internal static class SnapshotReader
{
    /// <summary>
    /// Checks the whole snapshot (its header must say the transaction its name says), handing its
    /// contents to <paramref name="sink"/> if given; returns its header.
    /// </summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SnapshotHeader Read(SnapshotFile snapshot, ISnapshotSink? sink)
    {
        string path = snapshot.Path;
        using var reader = FrameFileReader.Open(path, minBody: 1, SnapshotFormat.MaxBlockSize, "block");
        if (!SnapshotHeader.TryRead(reader.ReadHeader(SnapshotFormat.HeaderSize), out var header, out string reason))
        {
            throw new CorruptDataException(path, 0, reason);
        }
        if (header.LastTransactionId != snapshot.LastTransactionId)
        {
            throw new CorruptDataException(path, 0, $"the file is named for transaction {snapshot.LastTransactionId} but its header says {header.LastTransactionId}");
        }

        bool catalogSeen = false;
        long tables = 0, totalRows = 0, rowsLeft = 0;
        while (true)
        {
            long offset = reader.Offset;
            var result = reader.Next(out var body, out reason);
            if (result == ReadResult.End) throw new CorruptDataException(path, offset, "the snapshot ends before its end block (it was cut short)");
            if (result == ReadResult.Invalid) throw new CorruptDataException(path, offset, reason);
            try
            {
                var fields = new FieldReader(body);
                var kind = (SnapshotBlockKind)fields.ReadByte();
                if (!catalogSeen && kind != SnapshotBlockKind.Catalog) throw new MalformedDataException($"a {kind} block comes before the catalog", 0);
                switch (kind)
                {
                    case SnapshotBlockKind.Catalog:
                        if (catalogSeen) throw new MalformedDataException("a second catalog block", 0);
                        catalogSeen = true;
                        var catalog = ReadCatalog(ref fields);
                        sink?.Catalog(catalog);
                        break;
                    case SnapshotBlockKind.Table:
                        if (rowsLeft != 0) throw new MalformedDataException($"a table block while {rowsLeft} rows of the previous table are missing", 0);
                        string module = fields.ReadString("module name");
                        string name = fields.ReadString("table name");
                        ulong nextSequence = fields.ReadUInt64();
                        rowsLeft = (long)fields.ReadVarUInt();
                        if (rowsLeft < 0) throw new MalformedDataException("a negative row count", 0);
                        fields.ExpectEnd("a table block");
                        tables++;
                        totalRows += rowsLeft;
                        sink?.Table(module, name, nextSequence, rowsLeft, offset);
                        break;
                    case SnapshotBlockKind.Rows:
                        int count = fields.ReadCount("row", minItemSize: 1);
                        if (count == 0 || count > rowsLeft) throw new MalformedDataException($"a rows block of {count} rows where {rowsLeft} are expected", 0);
                        for (int i = 0; i < count; i++)
                        {
                            var row = fields.ReadBytes("row");
                            sink?.Row(row, offset);
                        }
                        fields.ExpectEnd("a rows block");
                        rowsLeft -= count;
                        break;
                    case SnapshotBlockKind.End:
                        if (rowsLeft != 0) throw new MalformedDataException($"the end block comes while {rowsLeft} rows of the last table are missing", 0);
                        ulong tableCount = fields.ReadVarUInt();
                        ulong rowCount = fields.ReadVarUInt();
                        fields.ExpectEnd("the end block");
                        if (tableCount != (ulong)tables || rowCount != (ulong)totalRows)
                        {
                            throw new MalformedDataException($"the end block counts {tableCount} tables and {rowCount} rows, the snapshot holds {tables} and {totalRows}", 0);
                        }
                        if (reader.Offset != reader.FileLength) throw new MalformedDataException($"{reader.FileLength - reader.Offset} bytes follow the end block", 0);
                        return header;
                    default:
                        throw new MalformedDataException($"unknown block kind {(byte)kind}", 0);
                }
            }
            catch (MalformedDataException e)
            {
                throw new CorruptDataException(path, offset, e.Reason);
            }
        }
    }

    private static NodeCatalog ReadCatalog(ref FieldReader fields)
    {
        int count = fields.ReadCount("catalog event", LogFormat.RecordHeaderSize);
        var events = new List<NodeEventRecord>(count);
        for (int i = 0; i < count; i++)
        {
            var record = LogRecordDecoder.Decode(fields.ReadBytes("catalog event"));
            if (record is not NodeEventRecord e) throw new MalformedDataException($"the catalog holds a {record.Kind} record", 0);
            events.Add(e);
        }
        fields.ExpectEnd("the catalog block");
        return new NodeCatalog(events);
    }
}
