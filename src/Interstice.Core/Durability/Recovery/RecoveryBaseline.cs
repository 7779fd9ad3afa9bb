using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// The database as recovery was given it: the tables the node created beforehand (its system
/// tables), empty. A snapshot found not to fit while loading leaves the database half-filled
/// (the handler's tables created, rows loaded); <see cref="Restore"/> brings it back to this
/// baseline so that recovery can start over from an older snapshot.
/// <para>
/// Why in place rather than in a fresh database: the node creates its system tables before
/// recovery, and its module table, schedule table and executor hold those very tables; a new
/// database would mean building the node again around it. So the tables created since are
/// dropped (as a module's removal drops them), the node's own are emptied (as a unique conflict in a
/// bulk load empties a table) and their sequences set back to the start, and the handler forgets what it built.
/// </para>
/// </summary>
internal sealed class RecoveryBaseline(Database database)
{
    private readonly Table[] _given = [.. database.Tables];

    /// <summary>Puts the database and <paramref name="handler"/> back as they were when this baseline was taken.</summary>
    public void Restore(IRecoveryHandler handler)
    {
        foreach (var table in database.Tables)
        {
            if (Array.IndexOf(_given, table) < 0) database.DropTable(table);
        }
        database.EnterExclusive("start recovery over");
        try
        {
            foreach (var table in _given)
            {
                table.Clear();
                table.NextSequence = 1;
            }
        }
        finally
        {
            database.ExitExclusive();
        }
        handler.StartOver();
    }
}
