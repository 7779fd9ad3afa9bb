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
/// module's first load), and the scheduled reducer calls.
/// <code>
/// interstice.modules    { name: string (primary key), version: string, hash: string, loaded: bool }
/// interstice.schedules  { id: u64 (primary key, auto_inc), due: u64 (btree), module: string (hash),
///                         reducer: string, args: bytes }
/// </code>
/// </summary>
internal static class SystemModule
{
    public const string Name = HostCalls.ImportModule;

    /// <summary>The table <c>interstice.modules</c> (see <see cref="ModuleTable"/>).</summary>
    public const string ModulesTable = "modules";

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
            new StructDefinition("Schedule",
            [
                new Field("id", AbiType.U64), new Field("due", AbiType.U64), new Field("module", AbiType.String),
                new Field("reducer", AbiType.String), new Field("args", AbiType.Bytes),
            ]),
        },
        new TableSchema[]
        {
            new(ModulesTable, "ModuleRecord", 0, EquatableArray<int>.Empty, EquatableArray<IndexSchema>.Empty, false),
            new("schedules", "Schedule", 0, new[] { 0 },
                new IndexSchema[] { new("due", new[] { 1 }, IndexKind.BTree, false), new("module", new[] { 2 }, IndexKind.Hash, false) },
                false),
        },
        EquatableArray<ReducerSchema>.Empty, EquatableArray<QuerySchema>.Empty,
        EquatableArray<SubscriptionSchema>.Empty, EquatableArray<DependencySchema>.Empty);

    /// <summary>Creates the system tables in a new database.</summary>
    public static (TableBinding Modules, TableBinding Schedules) CreateTables(Database database)
    {
        SchemaValidator.ThrowIfInvalid(Schema);
        var modules = new TableBinding(Name, Schema.Tables[0], Schema);
        var schedules = new TableBinding(Name, Schema.Tables[1], Schema);
        modules.Storage = database.CreateTable(Name, modules.Definition);
        schedules.Storage = database.CreateTable(Name, schedules.Definition);
        return (modules, schedules);
    }
}
