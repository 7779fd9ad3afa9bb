using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// What recovery asks of the node: for each node event, in log order (first those of the
/// snapshot's catalog, then those replayed from the log), create or drop the tables concerned
/// (only the node can build a table's definition and layout from a module's schema); and for
/// each row read from a snapshot or the log, check that it is a row of its table (storage trusts
/// the rows it is given: a record that passed its checksum may still hold a row the table's
/// layout cannot read). Event calls come while no write transaction is open, so they may create
/// and drop tables of the database. Transactions between events are replayed by recovery itself.
/// When a snapshot turns out not to fit, recovery calls <see cref="StartOver"/> and begins again.
/// </summary>
public interface IRecoveryHandler
{
    /// <summary>A module was loaded: create its tables (as they were when it was loaded).</summary>
    void ModuleLoaded(Database database, ModuleLoadedRecord record);

    /// <summary>A module was removed: drop its tables (e.g. <see cref="Database.DropModule"/>).</summary>
    void ModuleRemoved(Database database, ModuleRemovedRecord record);

    /// <summary>
    /// Recovery gives up what it loaded so far (a snapshot whose content does not fit) to start
    /// again from an older snapshot or the log's beginning: forget every module and table the
    /// events created since recovery began (recovery has dropped those tables itself).
    /// </summary>
    void StartOver();

    /// <summary>
    /// Checks that <paramref name="row"/>, about to be stored in <paramref name="table"/>, is a
    /// well-formed row of it; throws <see cref="InvalidRowException"/> saying what is wrong.
    /// </summary>
    void ValidateRow(Table table, ReadOnlySpan<byte> row);
}
