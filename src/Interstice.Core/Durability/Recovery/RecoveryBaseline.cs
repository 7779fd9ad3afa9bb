using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// The database as recovery was given it: the tables the node created beforehand (its system
/// tables), empty, with their sequences as they were. A snapshot found not to fit while loading
/// leaves the database half-filled (the handler's tables created, rows loaded, sequences set);
/// <see cref="Restore"/> brings it back to this baseline so that recovery can start over from an
/// older snapshot, as a start that never saw the unfit one would.
/// <para>
/// Why in place rather than in a fresh database: the node creates its system tables before
/// recovery, and its module table, schedule table and executor hold those very tables; a new
/// database would mean building the node again around it. So the tables created since are
/// dropped (as a module's removal drops them), the node's own are emptied (as a unique conflict in a
/// bulk load empties a table) and their sequences put back, and the handler forgets what it built.
/// </para>
/// </summary>
internal sealed class RecoveryBaseline
{
    private readonly Database _database;
    private readonly Table[] _given;
    /// <summary>Each given table's sequence when recovery began (a snapshot sets it when it loads the table).</summary>
    private readonly ulong[] _sequences;

    /// <exception cref="ArgumentException">A given table holds rows: recovery fills empty tables.</exception>
    public RecoveryBaseline(Database database)
    {
        _database = database;
        _given = [.. database.Tables];
        _sequences = new ulong[_given.Length];
        for (int i = 0; i < _given.Length; i++)
        {
            var table = _given[i];
            if (table.Rows.Count != 0)
            {
                throw new ArgumentException($"table {table} holds {table.Rows.Count} rows before recovery: recovery fills empty tables", nameof(database));
            }
            _sequences[i] = table.NextSequence;
        }
    }

    /// <summary>Puts the database and <paramref name="handler"/> back as they were when this baseline was taken.</summary>
    public void Restore(IRecoveryHandler handler)
    {
        foreach (var table in _database.Tables)
        {
            if (Array.IndexOf(_given, table) < 0) _database.DropTable(table);
        }
        _database.EnterExclusive("start recovery over");
        try
        {
            for (int i = 0; i < _given.Length; i++)
            {
                _given[i].Clear();
                _given[i].NextSequence = _sequences[i];
            }
        }
        finally
        {
            _database.ExitExclusive();
        }
        handler.StartOver();
    }
}
