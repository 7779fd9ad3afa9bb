using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// What recovery asks of the node for each node event, in log order, first those of the
/// snapshot's catalog, then those replayed from the log: create or drop the tables concerned
/// (only the node can build a table's definition and layout from a module's schema). Each call
/// comes while no write transaction is open, so it may create and drop tables of
/// the database. Transactions between events are replayed by recovery itself.
/// </summary>
public interface IRecoveryHandler
{
    /// <summary>A module was loaded: create its tables (as they were when it was loaded).</summary>
    void ModuleLoaded(Database database, ModuleLoadedRecord record);

    /// <summary>A module was unloaded: drop its tables (e.g. <see cref="Database.DropModule"/>).</summary>
    void ModuleUnloaded(Database database, ModuleUnloadedRecord record);

    void TableCreated(Database database, TableCreatedRecord record);

    void TableDropped(Database database, TableDroppedRecord record);
}
