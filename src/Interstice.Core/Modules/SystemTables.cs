namespace Interstice.Core.Modules;

/// <summary>The node's system tables in a database (<see cref="SystemModule.CreateTables"/>), in the schema's order.</summary>
internal sealed class SystemTables(TableBinding[] all)
{
    public TableBinding[] All { get; } = all;

    /// <summary><c>interstice.modules</c>.</summary>
    public TableBinding Modules => All[0];

    /// <summary><c>interstice.pending_handlers</c>.</summary>
    public TableBinding PendingHandlers => All[1];

    /// <summary><c>interstice.schedules</c>.</summary>
    public TableBinding Schedules => All[2];
}
