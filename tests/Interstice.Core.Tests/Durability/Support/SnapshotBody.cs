using Interstice.Core.Durability.Format;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// A snapshot taken apart as its format lays it out (docs/durability.md, Snapshot format): the
/// catalog's events, then each table with its sequence and rows. Written back, it is well-formed
/// whatever was changed (each table's rows in one rows block, the counts and the end block's
/// totals recomputed, every checksum holding): what a writer that snapshots the wrong content
/// produces, for the checks of loading to catch.
/// </summary>
public sealed class SnapshotBody
{
    private readonly FramedFile _file;

    private SnapshotBody(FramedFile file, List<byte[]> events, List<SnapshotTable> tables)
    {
        _file = file;
        Events = events;
        Tables = tables;
    }

    /// <summary>The catalog: each event's record body.</summary>
    public List<byte[]> Events { get; }

    public List<SnapshotTable> Tables { get; }

    public static SnapshotBody Read(string path)
    {
        var file = FramedFile.Read(path);
        var events = new List<byte[]>();
        var tables = new List<SnapshotTable>();
        foreach (var block in file.Bodies)
        {
            var fields = new FieldReader(block.AsSpan(1));
            switch (block[0])
            {
                case 1:
                    for (int i = fields.ReadCount("event"); i > 0; i--) events.Add(fields.ReadBytes("event").ToArray());
                    break;
                case 2:
                    tables.Add(new SnapshotTable(fields.ReadString("module"), fields.ReadString("table"), fields.ReadUInt64(), []));
                    break;
                case 3:
                    for (int i = fields.ReadCount("row"); i > 0; i--) tables[^1].Rows.Add(fields.ReadBytes("row").ToArray());
                    break;
            }
        }
        return new SnapshotBody(file, events, tables);
    }

    /// <summary>Writes the snapshot to <paramref name="path"/> with the header it was read with.</summary>
    public void Write(string path)
    {
        var blocks = _file.Bodies;
        blocks.Clear();
        var catalog = new BodyWriter();
        catalog.Byte(1);
        catalog.VarUInt((ulong)Events.Count);
        foreach (var e in Events) catalog.Bytes(e);
        blocks.Add(catalog.ToArray());
        long total = 0;
        foreach (var table in Tables)
        {
            var block = new BodyWriter();
            block.Byte(2);
            block.String(table.Module);
            block.String(table.Name);
            block.UInt64(table.NextSequence);
            block.VarUInt((ulong)table.Rows.Count);
            blocks.Add(block.ToArray());
            total += table.Rows.Count;
            if (table.Rows.Count == 0) continue;
            var rows = new BodyWriter();
            rows.Byte(3);
            rows.VarUInt((ulong)table.Rows.Count);
            foreach (var row in table.Rows) rows.Bytes(row);
            blocks.Add(rows.ToArray());
        }
        var end = new BodyWriter();
        end.Byte(4);
        end.VarUInt((ulong)Tables.Count);
        end.VarUInt((ulong)total);
        blocks.Add(end.ToArray());
        _file.Write(path);
    }
}

/// <summary>A table of a snapshot: its names, the next value of its sequence, and its rows in the order they are stored.</summary>
public sealed record SnapshotTable(string Module, string Name, ulong NextSequence, List<byte[]> Rows)
{
    public ulong NextSequence { get; set; } = NextSequence;
}
