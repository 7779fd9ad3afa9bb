using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// The rows a logged transaction updates or deletes, by table and primary key, to refuse a
/// record that changes one row twice. A transaction logs at most one change per row; replay
/// applies a record's removals before its additions, so a second change of the same row would
/// be applied against state the first one has half changed (indexes left pointing at the wrong
/// row, or an update of a row its own record deleted). Keys are kept as <see cref="StoredKey"/>s:
/// a key of up to 16 bytes costs no array.
/// </summary>
internal sealed class ChangedRows
{
    private readonly Dictionary<Table, HashSet<StoredKey>> _keysByTable = [];
    private bool _empty = true;

    /// <summary>Records that the record changes the row of <paramref name="table"/> with <paramref name="primaryKey"/>; false when it already did.</summary>
    public bool Add(Table table, in StoredKey primaryKey)
    {
        if (!_keysByTable.TryGetValue(table, out var keys)) _keysByTable[table] = keys = new HashSet<StoredKey>(StoredKeyComparer.Instance);
        _empty = false;
        return keys.Add(primaryKey);
    }

    /// <summary>Forgets the rows, for the next record.</summary>
    public void Clear()
    {
        if (_empty) return;
        foreach (var keys in _keysByTable.Values) keys.Clear();
        _empty = true;
    }
}
