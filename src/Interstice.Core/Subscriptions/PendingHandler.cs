namespace Interstice.Core.Subscriptions;

/// <summary>
/// A handler call queued by an event of a transaction about to commit (or read back at a start),
/// with its arguments (the event's rows), the event's name and its cascade depth; <see cref="Row"/> is the id of its row in
/// <c>interstice.pending_handlers</c> (<see cref="PendingHandlerTable"/>), or null when it has
/// none (a node in memory, or an event on an ephemeral table, as elusive as the table's rows).
/// </summary>
internal readonly record struct PendingHandler(Handler Handler, byte[] Arguments, string Event, int Depth, ulong? Row);
