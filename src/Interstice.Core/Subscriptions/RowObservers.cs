using Interstice.Abi;
using Interstice.Core.Execution;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Subscriptions;

/// <summary>
/// In-process subscribers to table events (<see cref="Node.Subscribe"/>): called on the executor
/// after each commit, for each row change in the transaction's write order, before the modules'
/// handlers of that commit run. A callback that throws is logged and otherwise ignored.
/// </summary>
internal sealed class RowObservers(NodeLog log)
{
    private readonly object _sync = new();
    private Dictionary<Table, Action<RowEvent>[]> _byTable = [];

    public IDisposable Add(Table table, Action<RowEvent> callback)
    {
        lock (_sync)
        {
            var copy = new Dictionary<Table, Action<RowEvent>[]>(_byTable);
            copy[table] = copy.TryGetValue(table, out var existing) ? [.. existing, callback] : [callback];
            Volatile.Write(ref _byTable, copy);
        }
        return new Subscription(this, table, callback);
    }

    /// <summary>Delivers the row changes of a committed transaction.</summary>
    public void Notify(ChangeSet changes, long sequence)
    {
        var byTable = Volatile.Read(ref _byTable);
        if (byTable.Count == 0) return;
        foreach (ref readonly var change in changes.Rows)
        {
            if (!byTable.TryGetValue(change.Table, out var callbacks)) continue;
            var e = new RowEvent(change.Table.Module, change.Table.Name, change.Kind, change.OldRow, change.NewRow, sequence);
            foreach (var callback in callbacks)
            {
                try
                {
                    callback(e);
                }
                catch (Exception error)
                {
                    log.Write(LogLevel.Error, e.Module, null, $"a subscriber to {e.Module}.{e.Table} threw: {error.GetType().Name}: {error.Message}");
                }
            }
        }
    }

    private void Remove(Table table, Action<RowEvent> callback)
    {
        lock (_sync)
        {
            if (!_byTable.TryGetValue(table, out var existing)) return;
            int at = Array.FindIndex(existing, c => ReferenceEquals(c, callback));
            if (at < 0) return;
            Action<RowEvent>[] remaining = [.. existing[..at], .. existing[(at + 1)..]];
            var copy = new Dictionary<Table, Action<RowEvent>[]>(_byTable);
            if (remaining.Length == 0) copy.Remove(table);
            else copy[table] = remaining;
            Volatile.Write(ref _byTable, copy);
        }
    }

    private sealed class Subscription(RowObservers owner, Table table, Action<RowEvent> callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(table, callback);
        }
    }
}
