using System.Collections.Concurrent;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// Keeps a snapshot consistent while it is written: a cut freezes the row slots of each table
/// (a frozen view of its primary-key B+tree), and the slots' rows are read later, in the
/// background, while commits go on. Commits after the cut may replace a slot's row (an update;
/// the slot object is shared with the live table) or remove the slot from the table (a delete;
/// it stays in the frozen view); so from the cut until the snapshot is written, the log records here,
/// for each row a transaction updates or deletes, its row before the first such change: the
/// row as of the cut. Reading a slot's row then takes that image when there is one. Rows
/// inserted after the cut are in no cut slot and are never read.
/// <para>
/// Correct because the log sees every change set before it is applied
/// (<see cref="Log.CommitLog.AppendTransaction"/> comes before <see cref="Database.Apply"/>):
/// an image is recorded before the slot it concerns changes.
/// </para>
/// </summary>
internal sealed class BeforeImages
{
    /// <summary>Per table, the images by primary key (looked up with the slot's key as a span: no copy per row read).</summary>
    private readonly ConcurrentDictionary<Table, ConcurrentDictionary<byte[], byte[]>> _images = new();

    /// <summary>Records the old rows of <paramref name="changes"/>' updates and deletes, keeping the first image of each row.</summary>
    public void Record(ChangeSet changes)
    {
        foreach (ref readonly var change in changes.Rows)
        {
            if (change.Kind == RowChangeKind.Insert || change.Table.Definition.IsEphemeral) continue;
            var images = _images.GetOrAdd(change.Table, static _ => new ConcurrentDictionary<byte[], byte[]>(KeyComparer.Instance));
            images.TryAdd(change.PrimaryKeyBytes, change.OldRowBytes!);
        }
    }

    /// <summary>The row <paramref name="slot"/> of <paramref name="table"/> held at the cut.</summary>
    public byte[] RowAtCut(Table table, RowSlot slot)
    {
        // The slot first, then the images: a row replaced after the cut had its image recorded before.
        var row = Volatile.Read(ref slot.Row);
        return _images.TryGetValue(table, out var images)
            && images.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(slot.PrimaryKey, out var before) ? before : row;
    }
}
