namespace Interstice.Core.Modules;

/// <summary>The node's system tables in a database (<see cref="SystemModule.CreateTables"/>).</summary>
internal sealed class SystemTables(TableBinding[] all)
{
    /// <summary>Every system table, in the schema's order.</summary>
    public TableBinding[] All { get; } = all;

    /// <summary><c>interstice.modules</c>.</summary>
    public TableBinding Modules { get; } = Named(all, SystemModule.ModulesTable);

    /// <summary><c>interstice.pending_handlers</c>.</summary>
    public TableBinding PendingHandlers { get; } = Named(all, SystemModule.PendingHandlersTable);

    /// <summary><c>interstice.schedules</c>.</summary>
    public TableBinding Schedules { get; } = Named(all, SystemModule.SchedulesTable);

    private static TableBinding Named(TableBinding[] all, string name) => Array.Find(all, t => t.Schema.Name == name)!;
}
