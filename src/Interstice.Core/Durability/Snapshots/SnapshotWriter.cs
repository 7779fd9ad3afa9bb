using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// Writes a <see cref="SnapshotCut"/> to a file atomically: into a temporary file, fsynced, then
/// renamed over the final name and the directory fsynced. A crash leaves either no snapshot or
/// a whole one (a stale temporary file is ignored and removed later). The cut is released as
/// soon as its rows are written to the file (before the fsync), also when that fails.
/// </summary>
internal static class SnapshotWriter
{
    /// <summary>Writes <paramref name="cut"/> to <paramref name="path"/>; <paramref name="beforePublish"/> runs after the data is durable and before the rename.</summary>
    public static void Write(SnapshotCut cut, string path, Action? beforePublish = null)
    {
        string directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        string temporary = path + DataDirectory.TemporaryExtension;
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                try
                {
                    WriteContents(cut, file);
                }
                finally
                {
                    cut.Release();
                }
                file.Flush(flushToDisk: true);
            }
            beforePublish?.Invoke();
            File.Move(temporary, path, overwrite: true);
            FileSync.Directory(directory);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void WriteContents(SnapshotCut cut, Stream file)
    {
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderSize];
        new SnapshotHeader(cut.LastTransactionId, cut.Timestamp).Write(header);
        file.Write(header);

        var block = new BlockBuffer();
        var events = cut.Catalog.Events;
        int catalogSize = 1 + FieldWriter.VarUIntSize((ulong)events.Count);
        foreach (var e in events) catalogSize += FieldWriter.BytesSize(NodeEventEncoder.BodySize(e));
        var writer = block.Begin(catalogSize);
        writer.WriteByte((byte)SnapshotBlockKind.Catalog);
        writer.WriteVarUInt((ulong)events.Count);
        foreach (var e in events)
        {
            writer.WriteVarUInt((ulong)NodeEventEncoder.BodySize(e));
            NodeEventEncoder.WriteBody(ref writer, e);
        }
        block.End(file, writer.Position);

        long totalRows = 0;
        foreach (var table in cut.Tables)
        {
            string module = table.Table.Module, name = table.Table.Name;
            writer = block.Begin(1 + FieldWriter.StringSize(module) + FieldWriter.StringSize(name) + 8 + FieldWriter.VarUIntSize((ulong)table.Count));
            writer.WriteByte((byte)SnapshotBlockKind.Table);
            writer.WriteString(module);
            writer.WriteString(name);
            writer.WriteUInt64(table.NextSequence);
            writer.WriteVarUInt((ulong)table.Count);
            block.End(file, writer.Position);
            WriteRows(table, file, block);
            totalRows += table.Count;
        }

        writer = block.Begin(1 + FieldWriter.VarUIntSize((ulong)cut.Tables.Count) + FieldWriter.VarUIntSize((ulong)totalRows));
        writer.WriteByte((byte)SnapshotBlockKind.End);
        writer.WriteVarUInt((ulong)cut.Tables.Count);
        writer.WriteVarUInt((ulong)totalRows);
        block.End(file, writer.Position);
    }

    /// <summary>A table's rows as of the cut, in blocks of about <see cref="SnapshotFormat.RowsBlockSize"/> bytes.</summary>
    private static void WriteRows(TableCut table, Stream file, BlockBuffer block)
    {
        var rows = new List<byte[]>();
        long size = 0;
        foreach (var row in table.Rows)
        {
            int rowSize = FieldWriter.BytesSize(row.Length);
            if (rows.Count > 0 && size + rowSize > SnapshotFormat.RowsBlockSize)
            {
                WriteRowsBlock(rows, size, file, block);
                rows.Clear();
                size = 0;
            }
            rows.Add(row);
            size += rowSize;
        }
        if (rows.Count > 0) WriteRowsBlock(rows, size, file, block);
    }

    private static void WriteRowsBlock(List<byte[]> rows, long size, Stream file, BlockBuffer block)
    {
        var writer = block.Begin(1 + FieldWriter.VarUIntSize((ulong)rows.Count) + (int)size);
        writer.WriteByte((byte)SnapshotBlockKind.Rows);
        writer.WriteVarUInt((ulong)rows.Count);
        foreach (var row in rows) writer.WriteBytes(row);
        block.End(file, writer.Position);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The snapshot already failed; a leftover temporary file is ignored and removed by the next snapshot.
        }
    }

    /// <summary>One block being built: frame header room, then the body; sealed and written by <see cref="End"/>.</summary>
    private sealed class BlockBuffer
    {
        private byte[] _buffer = new byte[SnapshotFormat.RowsBlockSize + 1024];

        public FieldWriter Begin(int bodySize)
        {
            int frameSize = LogFormat.FrameHeaderSize + bodySize;
            if (_buffer.Length < frameSize) _buffer = new byte[frameSize];
            return new FieldWriter(_buffer.AsSpan(LogFormat.FrameHeaderSize, bodySize));
        }

        public void End(Stream file, int bodySize)
        {
            var frame = _buffer.AsSpan(0, LogFormat.FrameHeaderSize + bodySize);
            RecordFrame.Seal(frame);
            file.Write(frame);
        }
    }
}
