using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability.Recovery;

/// <summary>Hands a node event to the matching method of an <see cref="IRecoveryHandler"/>.</summary>
internal static class NodeEvents
{
    public static void Dispatch(IRecoveryHandler handler, Database database, NodeEventRecord record)
    {
        switch (record)
        {
            case ModuleLoadedRecord loaded: handler.ModuleLoaded(database, loaded); break;
            case ModuleRemovedRecord removed: handler.ModuleRemoved(database, removed); break;
            default: throw new ArgumentException($"unknown node event {record.GetType().Name}", nameof(record));
        }
    }
}
