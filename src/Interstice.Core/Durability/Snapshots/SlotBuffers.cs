using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// The arrays a snapshot's cut copies each table's row slots into, kept from one snapshot to
/// the next. The cut runs while commits wait, and a fresh array the size of a large table
/// faults its memory in page by page as the copy fills it; an array kept from the last
/// snapshot is already in memory. It costs 8 bytes per row (a quarter more for growth) between
/// snapshots; its slots are cleared once a snapshot is written, so it keeps no deleted row alive.
/// <para>
/// The executor rents at the cut; the snapshot's writer gives the arrays back when it is done.
/// One snapshot is cut or written at a time, so the two never overlap.
/// </para>
/// </summary>
internal sealed class SlotBuffers
{
    private Dictionary<Table, RowSlot[]> _kept = [];

    /// <summary>An array of at least <paramref name="count"/> slots for <paramref name="table"/>'s cut, all null.</summary>
    public RowSlot[] Rent(Table table, int count) =>
        _kept.TryGetValue(table, out var kept) && kept.Length >= count ? kept : new RowSlot[count + count / 4];

    /// <summary>Keeps the arrays of a written snapshot's cut for the next one (the tables cut last; dropped ones are forgotten).</summary>
    public void Return(IReadOnlyList<TableCut> tables)
    {
        var kept = new Dictionary<Table, RowSlot[]>(tables.Count);
        foreach (var table in tables)
        {
            Array.Clear(table.Slots, 0, table.Count);
            if (!table.Table.IsDropped) kept[table.Table] = table.Slots;
        }
        _kept = kept;
    }
}
