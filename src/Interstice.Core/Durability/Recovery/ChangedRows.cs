using System.Runtime.CompilerServices;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// The rows a logged transaction updates or deletes, by table and primary key, to refuse a
/// record that changes one row twice. A transaction logs at most one change per row; replay
/// applies a record's removals before its additions, so a second change of the same row would
/// be applied against state the first one has half changed (indexes left pointing at the wrong
/// row, or an update of a row its own record deleted).
/// </summary>
internal sealed class ChangedRows
{
    private readonly HashSet<(Table Table, byte[] PrimaryKey)> _rows = new(new TableKeyComparer());

    /// <summary>Records that the record changes the row of <paramref name="table"/> with <paramref name="primaryKey"/>; false when it already did.</summary>
    public bool Add(Table table, ReadOnlySpan<byte> primaryKey) => _rows.Add((table, primaryKey.ToArray()));

    /// <summary>Forgets the rows, for the next record.</summary>
    public void Clear()
    {
        if (_rows.Count > 0) _rows.Clear();
    }

    private sealed class TableKeyComparer : IEqualityComparer<(Table Table, byte[] PrimaryKey)>
    {
        public bool Equals((Table Table, byte[] PrimaryKey) x, (Table Table, byte[] PrimaryKey) y) =>
            ReferenceEquals(x.Table, y.Table) && x.PrimaryKey.AsSpan().SequenceEqual(y.PrimaryKey);

        public int GetHashCode((Table Table, byte[] PrimaryKey) row) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(row.Table), KeyComparer.Hash(row.PrimaryKey));
    }
}
