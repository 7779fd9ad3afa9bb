using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Storage;
using IndexKind = Interstice.Abi.Schema.IndexKind;

namespace Interstice.Core.Modules;

/// <summary>
/// The node's own tables, owned by the reserved module name <c>interstice</c> (no module may take
/// it: it is also the ABI's import module). They hold node state that must be durable and
/// replayable like any other: which modules were loaded (so that <c>init</c> runs only on a
/// module's first load), the scheduled reducer calls, and the subscription handlers queued by a
/// committed transaction that have not run yet.
/// <code>
/// interstice.modules           { name: string (primary key), version: string, hash: string, loaded: bool }
/// interstice.schedules         { id: u64 (primary key, auto_inc), due: u64 (btree), module: string (hash),
///                                reducer: string, args: bytes }
/// interstice.pending_handlers  { id: u64 (primary key, auto_inc), module: string, reducer: string,
///                                event: string, depth: u32, args: bytes }
/// </code>
/// Tables are found by name in logs and snapshots, so a table added here reads as empty from a
/// data directory written before it existed.
/// </summary>
internal static class SystemModule
{
    public const string Name = HostCalls.ImportModule;

    /// <summary>The table <c>interstice.modules</c> (see <see cref="ModuleTable"/>).</summary>
    public const string ModulesTable = "modules";

    /// <summary>The table <c>interstice.pending_handlers</c> (see <see cref="Subscriptions.PendingHandlerTable"/>).</summary>
    public const string PendingHandlersTable = "pending_handlers";

    /// <summary>The table <c>interstice.schedules</c> (see <see cref="Scheduling.ScheduleTable"/>).</summary>
    public const string SchedulesTable = "schedules";

    /// <summary>The schema of the system tables, in canonical order.</summary>
    public static ModuleSchema Schema { get; } = new(
        AbiVersion.Current, Name, "1.0.0", Visibility.Private,
        EquatableArray<string>.Empty,
        new TypeDefinition[]
        {
            new StructDefinition("ModuleRecord",
            [
                new Field("name", AbiType.String), new Field("version", AbiType.String),
                new Field("hash", AbiType.String), new Field("loaded", AbiType.Bool),
            ]),
            new StructDefinition("PendingHandler",
            [
                new Field("id", AbiType.U64), new Field("module", AbiType.String), new Field("reducer", AbiType.String),
                new Field("event", AbiType.String), new Field("depth", AbiType.U32), new Field("args", AbiType.Bytes),
            ]),
            new StructDefinition("Schedule",
            [
                new Field("id", AbiType.U64), new Field("due", AbiType.U64), new Field("module", AbiType.String),
                new Field("reducer", AbiType.String), new Field("args", AbiType.Bytes),
            ]),
        },
        new TableSchema[]
        {
            new(ModulesTable, "ModuleRecord", 0, EquatableArray<int>.Empty, EquatableArray<IndexSchema>.Empty, false),
            new(PendingHandlersTable, "PendingHandler", 0, new[] { 0 }, EquatableArray<IndexSchema>.Empty, false),
            new(SchedulesTable, "Schedule", 0, new[] { 0 },
                new IndexSchema[] { new("due", new[] { 1 }, IndexKind.BTree, false), new("module", new[] { 2 }, IndexKind.Hash, false) },
                false),
        },
        EquatableArray<ReducerSchema>.Empty, EquatableArray<QuerySchema>.Empty,
        EquatableArray<SubscriptionSchema>.Empty, EquatableArray<DependencySchema>.Empty);

    /// <summary>Creates the system tables in a new database.</summary>
    public static SystemTables CreateTables(Database database)
    {
        SchemaValidator.ThrowIfInvalid(Schema);
        var tables = new TableBinding[Schema.Tables.Count];
        for (int i = 0; i < tables.Length; i++)
        {
            tables[i] = new TableBinding(Name, Schema.Tables[i], Schema);
            tables[i].Storage = database.CreateTable(Name, tables[i].Definition);
        }
        return new SystemTables(tables);
    }
}
