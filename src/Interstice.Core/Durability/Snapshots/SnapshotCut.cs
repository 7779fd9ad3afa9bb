using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// A consistent view of every durable table at one point of the log: for each table that is
/// not ephemeral, its row slots in primary-key order and its sequence. Taking it is a block copy
/// per B+tree leaf inside one read-only transaction (commits wait that long); the rows are read
/// from the slots afterwards, while commits go on, through <see cref="BeforeImages"/>, which
/// give back the row a slot held at the cut if a later commit replaced or deleted it.
/// </summary>
internal sealed class SnapshotCut
{
    private readonly BeforeImages _images;

    private SnapshotCut(ulong lastTransactionId, long timestamp, NodeCatalog catalog, IReadOnlyList<TableCut> tables, BeforeImages images)
    {
        LastTransactionId = lastTransactionId;
        Timestamp = timestamp;
        Catalog = catalog;
        Tables = tables;
        _images = images;
    }

    /// <summary>The last transaction whose effects the cut contains.</summary>
    public ulong LastTransactionId { get; }

    /// <summary>The timestamp of the last transaction the cut contains, in microseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    public NodeCatalog Catalog { get; }

    public IReadOnlyList<TableCut> Tables { get; }

    /// <summary>The row at <paramref name="index"/> of <paramref name="table"/> as it was at the cut.</summary>
    public byte[] Row(TableCut table, int index) => _images.RowAtCut(table.Table, table.Slots[index]);

    /// <summary>
    /// Cuts <paramref name="database"/>'s durable tables. The caller guarantees that the
    /// database holds exactly the effects of the log up to <paramref name="lastTransactionId"/>,
    /// that <paramref name="catalog"/> is the log's catalog at that point (the executor calls
    /// this between transactions), and that <paramref name="images"/> records every change set
    /// appended from now until the cut's rows have been read. The slots are copied into arrays
    /// rented from <paramref name="buffers"/>, which the snapshot's writer gives back.
    /// </summary>
    public static SnapshotCut Capture(Database database, ulong lastTransactionId, NodeCatalog catalog, long timestamp, BeforeImages images, SlotBuffers buffers)
    {
        var tables = new List<TableCut>();
        using (database.BeginReadOnly())
        {
            foreach (var table in database.Tables)
            {
                if (table.Definition.IsEphemeral) continue;
                int count = table.Rows.Count;
                var slots = buffers.Rent(table, count);
                table.Rows.CopyValuesTo(slots);
                tables.Add(new TableCut(table, table.NextSequence, slots, count));
            }
        }
        return new SnapshotCut(lastTransactionId, timestamp, catalog, tables, images);
    }
}

/// <summary>One table of a <see cref="SnapshotCut"/>: its row slots in primary-key order and its sequence's next value.</summary>
internal sealed record TableCut(Table Table, ulong NextSequence, RowSlot[] Slots, int Count);
