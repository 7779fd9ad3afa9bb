using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// A consistent view of every durable table at one point of the log: for each table that is
/// not ephemeral, its rows in primary-key order (a frozen view of its primary-key B+tree,
/// <see cref="BPlusTree{TValue}.Freeze"/>) and its sequence. Taking it costs a few field writes
/// per table inside one read-only transaction (commits wait that long): the views share the
/// trees' nodes copy-on-write, so the commits that follow clone what they change instead. The
/// tree's values are the rows themselves, immutable, and every write to the tree (an insert, a
/// delete, an update replacing a row) goes through that copy-on-write: so the view holds
/// exactly the rows of the cut, and they are read from it afterwards, while commits go on.
/// <see cref="Release"/> ends the sharing once the rows are read.
/// </summary>
internal sealed class SnapshotCut
{
    private SnapshotCut(ulong lastTransactionId, long timestamp, NodeCatalog catalog, IReadOnlyList<TableCut> tables)
    {
        LastTransactionId = lastTransactionId;
        Timestamp = timestamp;
        Catalog = catalog;
        Tables = tables;
    }

    /// <summary>The last transaction whose effects the cut contains.</summary>
    public ulong LastTransactionId { get; }

    /// <summary>The timestamp of the last transaction the cut contains, in microseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    public NodeCatalog Catalog { get; }

    public IReadOnlyList<TableCut> Tables { get; }

    /// <summary>
    /// Cuts <paramref name="database"/>'s durable tables. The caller guarantees that the
    /// database holds exactly the effects of the log up to <paramref name="lastTransactionId"/>,
    /// that <paramref name="catalog"/> is the log's catalog at that point (the executor calls
    /// this between transactions). Whoever takes the cut releases it.
    /// </summary>
    public static SnapshotCut Capture(Database database, ulong lastTransactionId, NodeCatalog catalog, long timestamp)
    {
        var tables = new List<TableCut>();
        try
        {
            using (database.BeginReadOnly())
            {
                foreach (var table in database.Tables)
                {
                    if (table.Definition.IsEphemeral) continue;
                    tables.Add(new TableCut(table, table.NextSequence, table.Rows.Freeze()));
                }
            }
        }
        catch
        {
            foreach (var table in tables) table.Rows.Release();
            throw;
        }
        return new SnapshotCut(lastTransactionId, timestamp, catalog, tables);
    }

    /// <summary>Releases every table's frozen view (once the rows are read or the snapshot failed): commits write the trees in place again.</summary>
    public void Release()
    {
        foreach (var table in Tables) table.Rows.Release();
    }
}

/// <summary>One table of a <see cref="SnapshotCut"/>: its rows in primary-key order and its sequence's next value.</summary>
internal sealed record TableCut(Table Table, ulong NextSequence, BPlusTree<byte[]>.FrozenView Rows)
{
    /// <summary>The number of rows at the cut.</summary>
    public int Count => Rows.Count;
}
