using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// A consistent copy of every durable table at one point of the log: for each table that is not
/// ephemeral, its rows in primary-key order and its sequence. Taking it copies references only
/// (stored rows are immutable arrays: an update stores a new one), inside one read-only
/// transaction, so commits wait for it for about a millisecond per 10^5 rows; serializing it
/// happens afterwards, while commits go on.
/// </summary>
internal sealed class SnapshotCut
{
    private SnapshotCut(ulong lastTransactionId, long timestamp, NodeCatalog catalog, IReadOnlyList<TableCut> tables, long rowCount)
    {
        LastTransactionId = lastTransactionId;
        Timestamp = timestamp;
        Catalog = catalog;
        Tables = tables;
        RowCount = rowCount;
    }

    /// <summary>The last transaction whose effects the cut contains.</summary>
    public ulong LastTransactionId { get; }

    /// <summary>When the cut was taken, in microseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    public NodeCatalog Catalog { get; }

    public IReadOnlyList<TableCut> Tables { get; }

    public long RowCount { get; }

    /// <summary>
    /// Copies <paramref name="database"/>'s durable tables. The caller guarantees that the
    /// database holds exactly the effects of the log up to <paramref name="lastTransactionId"/>
    /// and that <paramref name="catalog"/> is the log's catalog at that point (the executor
    /// calls this between transactions).
    /// </summary>
    public static SnapshotCut Capture(Database database, ulong lastTransactionId, NodeCatalog catalog, long timestamp)
    {
        var tables = new List<TableCut>();
        long rowCount = 0;
        using (database.BeginReadOnly())
        {
            foreach (var table in database.Tables)
            {
                if (table.Definition.IsEphemeral) continue;
                var rows = new byte[table.Rows.Count][];
                var cursor = table.Rows.Seek(KeyRange.All);
                int i = 0;
                while (cursor.MoveNext()) rows[i++] = cursor.Value.Row;
                tables.Add(new TableCut(table.Module, table.Name, table.NextSequence, rows));
                rowCount += rows.Length;
            }
        }
        return new SnapshotCut(lastTransactionId, timestamp, catalog, tables, rowCount);
    }
}

/// <summary>One table of a <see cref="SnapshotCut"/>: its rows in primary-key order and its sequence's next value.</summary>
internal sealed record TableCut(string Module, string Name, ulong NextSequence, byte[][] Rows);
