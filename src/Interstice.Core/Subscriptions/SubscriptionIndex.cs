using Interstice.Abi.Schema;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Subscriptions;

/// <summary>A reducer that handles an event, and the module it belongs to.</summary>
internal readonly record struct Handler(LoadedModule Module, FunctionBinding Reducer);

/// <summary>
/// Which handlers each table event runs, in the documented order: by the subscribing module's
/// name, then by reducer name (ordinal). Rebuilt whenever a module is loaded or unloaded, keyed
/// by storage table so that a commit finds the handlers of each row change with one lookup.
/// Subscriptions to tables on other nodes are kept by the modules' schemas but never fire here.
/// </summary>
internal sealed class SubscriptionIndex
{
    private static readonly Handler[][] None = [[], [], []];

    private Dictionary<Table, Handler[][]> _byTable = [];

    /// <summary>Whether any event of <paramref name="table"/> has a handler (the commit path looks no further when none has).</summary>
    public bool HasHandlers(Table table) => _byTable.Count > 0 && _byTable.ContainsKey(table);

    /// <summary>The handlers of <paramref name="kind"/> events on <paramref name="table"/>, in order.</summary>
    public Handler[] For(Table table, RowChangeKind kind) =>
        (_byTable.Count > 0 && _byTable.TryGetValue(table, out var handlers) ? handlers : None)[(int)kind];

    /// <summary>The <c>init</c> handlers of <paramref name="module"/>, in reducer-name order.</summary>
    public static List<Handler> InitHandlers(LoadedModule module)
    {
        var handlers = new List<Handler>();
        foreach (var subscription in module.Schema.Subscriptions)
        {
            if (subscription.Event is InitEvent) handlers.Add(new Handler(module, module.FindReducer(subscription.Reducer)!));
        }
        handlers.Sort(static (a, b) => string.CompareOrdinal(a.Reducer.Name, b.Reducer.Name));
        return handlers;
    }

    /// <summary>Recomputes the index from the loaded modules.</summary>
    public void Rebuild(ModuleRegistry modules, string nodeName)
    {
        var lists = new Dictionary<Table, List<Handler>[]>();
        foreach (var subscriber in modules.All)
        {
            foreach (var subscription in subscriber.Schema.Subscriptions)
            {
                if (subscription.Event is not TableEvent e || (e.Node != null && e.Node != nodeName)) continue;
                if (!modules.TryGet(e.Module, out var owner) || owner.FindTable(e.Table) is not { } table) continue;
                if (!lists.TryGetValue(table.Storage, out var byKind)) lists[table.Storage] = byKind = [[], [], []];
                byKind[(int)KindOf(e.Kind)].Add(new Handler(subscriber, subscriber.FindReducer(subscription.Reducer)!));
            }
        }
        var index = new Dictionary<Table, Handler[][]>(lists.Count);
        foreach (var (table, byKind) in lists)
        {
            var sorted = new Handler[3][];
            for (int k = 0; k < 3; k++)
            {
                byKind[k].Sort(static (a, b) =>
                {
                    int byModule = string.CompareOrdinal(a.Module.Name, b.Module.Name);
                    return byModule != 0 ? byModule : string.CompareOrdinal(a.Reducer.Name, b.Reducer.Name);
                });
                sorted[k] = [.. byKind[k]];
            }
            index[table] = sorted;
        }
        _byTable = index;
    }

    private static RowChangeKind KindOf(TableEventKind kind) => kind switch
    {
        TableEventKind.Insert => RowChangeKind.Insert,
        TableEventKind.Update => RowChangeKind.Update,
        _ => RowChangeKind.Delete,
    };
}
