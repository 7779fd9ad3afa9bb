namespace Interstice.Core.Durability.Records;

/// <summary>
/// The node events still in effect, in log order: the <see cref="ModuleLoadedRecord"/> of every
/// module whose tables exist (a <see cref="ModuleRemovedRecord"/> takes its module out).
/// Snapshots store the catalog, so that recovery can rebuild the modules and tables that a
/// snapshot's rows belong to even after the log before it is gone; replaying the catalog's
/// events in order recreates exactly the tables that existed.
/// </summary>
public sealed class NodeCatalog
{
    private readonly List<NodeEventRecord> _events;

    public NodeCatalog() => _events = [];

    public NodeCatalog(IEnumerable<NodeEventRecord> events)
    {
        _events = [];
        foreach (var e in events) Apply(e);
    }

    /// <summary>The events in effect, in the order they were logged.</summary>
    public IReadOnlyList<NodeEventRecord> Events => _events;

    /// <summary>The modules whose tables exist, in the order they were first loaded.</summary>
    public IEnumerable<ModuleLoadedRecord> Modules
    {
        get
        {
            foreach (var e in _events)
            {
                if (e is ModuleLoadedRecord loaded) yield return loaded;
            }
        }
    }

    /// <summary>Takes a logged event into account.</summary>
    public void Apply(NodeEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is ModuleRemovedRecord) _events.RemoveAll(e => e.Module == record.Module);
        else _events.Add(record);
    }

    public NodeCatalog Clone() => new(_events);
}
