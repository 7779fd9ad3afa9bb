using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Modules;
using Interstice.Core.Scheduling;
using Interstice.Core.Storage;
using Interstice.Core.Subscriptions;
using Interstice.Core.Transactions;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>
/// The node's one writer. Every write transaction (a call from outside, a subscription handler,
/// a scheduled reducer, a module load or unload) runs here, one at a time, under one lock taken
/// on the caller's thread (no thread hop per call). The order in which transactions take the lock
/// is the commit order. After each commit, the commit pipeline runs: the commit record goes to
/// the durability sink, the change set is applied to committed state, in-process subscribers are
/// told, and the handlers of the events it produced are queued; queued handlers then run
/// breadth-first, each as its own transaction, before the lock is released.
/// </summary>
internal sealed class Executor
{
    private readonly Lock _lock = new();
    private readonly Database _database;
    private readonly HostEnvironment _environment;
    private readonly ICommitSink _sink;
    private readonly SubscriptionIndex _subscriptions;
    private readonly RowObservers _observers;
    private readonly CallScope _scope = new();
    private readonly Queue<PendingHandler> _cascade = new();
    private long _sequence;
    private long _lastTimestamp;
    private string? _fault;

    public Executor(Database database, HostEnvironment environment, SubscriptionIndex subscriptions, RowObservers observers, Watchdog watchdog)
    {
        watchdog.Register(_scope);
        _database = database;
        _environment = environment;
        _sink = environment.Options.CommitSink;
        _subscriptions = subscriptions;
        _observers = observers;
    }

    /// <summary>Raised (on the executor) after a commit that queued or cancelled scheduled calls.</summary>
    public event Action? SchedulesChanged;

    private NodeOptions Options => _environment.Options;

    private NodeLog Log => _environment.Log;

    /// <summary>Runs <paramref name="work"/> as the writer: nothing else writes meanwhile.</summary>
    public T Exclusive<T>(Func<T> work)
    {
        EnterWriter();
        try
        {
            return work();
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>
    /// Runs reducer <paramref name="reducer"/> called from outside as one transaction, then the
    /// subscriptions it triggers. Throws <see cref="CallFailedException"/> when the reducer fails
    /// (everything it and its callees wrote is rolled back).
    /// </summary>
    public void CallFromClient(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        EnterWriter();
        try
        {
            if (!module.IsLoaded) throw new CallFailedException(module.Name, reducer.Name, CallFailure.NoSuchModule, $"module `{module.Name}` was unloaded");
            var outcome = RunReducer(module, reducer, arguments, new Origin(CommitKind.Call, "client", null, 0), schedule: null);
            RunCascade();
            if (!outcome.Succeeded) throw outcome.ToException(module.Name, reducer.Name);
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>Runs the <c>init</c> handlers of a module on its first load, and what they trigger. Caller holds the writer.</summary>
    public void RunInit(LoadedModule module)
    {
        foreach (var handler in SubscriptionIndex.InitHandlers(module))
            _cascade.Enqueue(new PendingHandler(handler, [], "init", 1));
        RunCascade();
    }

    /// <summary>
    /// Runs every scheduled call that is due, in (due time, id) order, each as its own
    /// transaction followed by its cascade; returns how many ran. Calls of modules that are not
    /// loaded wait.
    /// </summary>
    public int RunDueSchedules()
    {
        EnterWriter();
        try
        {
            int ran = 0;
            while (NextDue() is { } call)
            {
                RunScheduled(call);
                RunCascade();
                ran++;
            }
            return ran;
        }
        finally
        {
            ExitWriter();
        }
    }

    /// <summary>The due time of the earliest scheduled call of a loaded module, or null.</summary>
    public long? EarliestDue()
    {
        using var transaction = _database.BeginReadOnly();
        return _environment.Schedules.EarliestDue(transaction, _environment.Modules.IsLoaded);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of its own made by the node (module
    /// management), records it as <paramref name="kind"/> and applies it. Caller holds the writer.
    /// </summary>
    public void RunNodeTransaction(CommitKind kind, string module, Action<Transaction> write)
    {
        ThrowIfFaulted();
        long timestamp = NextTimestamp();
        long sequence = ++_sequence;
        var transaction = _database.BeginTransaction();
        try
        {
            write(transaction);
            var changes = transaction.Commit();
            Publish(new CommitRecord(sequence, kind, module, null, "node", ReadOnlyMemory<byte>.Empty, timestamp, 0, null, 0, changes));
        }
        finally
        {
            if (transaction.IsActive) transaction.Dispose();
        }
    }

    /// <summary>The current time in microseconds since the Unix epoch; never before the last transaction's.</summary>
    public long NextTimestamp()
    {
        _lastTimestamp = Math.Max(_lastTimestamp, Clock.UnixMicroseconds(Options.TimeProvider));
        return _lastTimestamp;
    }

    private void EnterWriter()
    {
        if (_lock.IsHeldByCurrentThread)
            throw new InvalidOperationException("the node is already running a transaction on this thread: a table event callback cannot call reducers, load or unload modules");
        _lock.Enter();
    }

    /// <summary>Leaves the writer; handlers still queued (when a transaction threw) are dropped, not run by the next caller.</summary>
    private void ExitWriter()
    {
        _cascade.Clear();
        _lock.Exit();
    }

    private void ThrowIfFaulted()
    {
        if (_fault != null) throw new InvalidOperationException($"the node stopped accepting writes: {_fault}");
    }

    /// <summary>What started a transaction, for its commit record.</summary>
    private readonly record struct Origin(CommitKind Kind, string Caller, string? Trigger, int Depth);

    /// <summary>A handler queued by a committed event, with its arguments and cascade depth.</summary>
    private readonly record struct PendingHandler(Handler Handler, byte[] Arguments, string Event, int Depth);

    /// <summary>
    /// Runs one reducer as one transaction and commits it when it succeeds. For a scheduled call
    /// the schedule's row is deleted in the same transaction, kept even when the reducer fails.
    /// </summary>
    private CallOutcome RunReducer(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments, Origin origin, ScheduledCall? schedule)
    {
        ThrowIfFaulted();
        long timestamp = NextTimestamp();
        long sequence = ++_sequence;
        ulong seed = TransactionRandom.Seed(sequence, timestamp);
        var transaction = _database.BeginTransaction();
        _scope.Begin(transaction, readOnly: false, timestamp, seed, Options.CallDeadline);
        try
        {
            Savepoint? beforeCall = null;
            if (schedule != null)
            {
                _environment.Schedules.Delete(transaction, schedule.Id);
                beforeCall = transaction.CreateSavepoint();
            }
            CallOutcome outcome;
            try
            {
                long fuel = Options.FuelPerCall;
                outcome = module.Writer.Call(_scope, reducer, arguments, ref fuel);
            }
            catch (WasmException e)
            {
                outcome = CallOutcome.Failed(CallFailure.Trapped, $"the module cannot be instantiated: {e.Message}");
            }
            // A callee that used up the budget fails the whole tree, even if its caller carried on.
            if (outcome.Succeeded && _scope.Exhausted != null) outcome = CallOutcome.Failed(_scope.ExhaustedKind, _scope.Exhausted);

            if (beforeCall is { } savepoint)
            {
                if (outcome.Succeeded) transaction.Release(savepoint);
                else transaction.RollbackTo(savepoint);
            }
            else if (!outcome.Succeeded)
            {
                transaction.Rollback();
                return outcome;
            }
            var changes = transaction.Commit();
            if (!changes.IsEmpty)
            {
                Publish(new CommitRecord(sequence, origin.Kind, module.Name, reducer.Name, origin.Caller, arguments.ToArray(),
                    timestamp, seed, origin.Trigger, origin.Depth, changes));
                QueueHandlers(changes, origin.Depth + 1);
            }
            return outcome;
        }
        finally
        {
            _scope.End();
            if (transaction.IsActive) transaction.Dispose();
        }
    }

    /// <summary>Hands the record to the sink, applies its changes and tells in-process subscribers.</summary>
    private void Publish(CommitRecord record)
    {
        var changes = record.Changes;
        if (changes.IsEmpty) return;
        try
        {
            _sink.Append(record);
        }
        catch (Exception e)
        {
            _fault = $"the commit sink failed on transaction #{record.Sequence}: {e.Message}";
            Log.Write(LogLevel.Error, null, null, _fault);
            throw new InvalidOperationException(_fault, e);
        }
        _database.Apply(changes);
        _observers.Notify(changes, record.Sequence);
        foreach (ref readonly var change in changes.Rows)
        {
            if (change.Table == _environment.Schedules.Storage)
            {
                SchedulesChanged?.Invoke();
                break;
            }
        }
    }

    /// <summary>Queues the handlers of every row change, in write order, then subscriber order.</summary>
    private void QueueHandlers(ChangeSet changes, int depth)
    {
        int skipped = 0;
        PendingHandler first = default;
        foreach (ref readonly var change in changes.Rows)
        {
            var handlers = _subscriptions.For(change.Table, change.Kind);
            if (handlers.Length == 0) continue;
            byte[] arguments = change.Kind switch
            {
                RowChangeKind.Insert => change.NewRow.ToArray(),
                RowChangeKind.Delete => change.OldRow.ToArray(),
                _ => [.. change.OldRow.Span, .. change.NewRow.Span],
            };
            string name = $"{change.Table.Module}.{change.Table.Name}.{change.Kind.ToString().ToLowerInvariant()}";
            foreach (var handler in handlers)
            {
                var pending = new PendingHandler(handler, arguments, name, depth);
                if (depth <= Options.MaxSubscriptionDepth)
                {
                    _cascade.Enqueue(pending);
                }
                else if (skipped++ == 0)
                {
                    first = pending;
                }
            }
        }
        if (skipped > 0)
        {
            Log.Write(LogLevel.Error, first.Handler.Module.Name, first.Handler.Reducer.Name,
                $"subscription cascade stopped: {first.Handler.Reducer} on {first.Event} would run at depth {depth}, past the limit of {Options.MaxSubscriptionDepth}; " +
                $"{skipped} handler call(s) were not run. Handlers whose writes trigger handlers again loop; the node carries on (NodeOptions.MaxSubscriptionDepth sets the limit)");
        }
    }

    /// <summary>Runs queued handlers breadth-first until none is left.</summary>
    private void RunCascade()
    {
        while (_cascade.TryDequeue(out var pending))
        {
            var handler = pending.Handler;
            if (!handler.Module.IsLoaded) continue;
            var origin = new Origin(CommitKind.Subscription, "node", pending.Event, pending.Depth);
            var outcome = RunReducer(handler.Module, handler.Reducer, pending.Arguments, origin, schedule: null);
            if (!outcome.Succeeded)
            {
                Log.Write(LogLevel.Error, handler.Module.Name, handler.Reducer.Name,
                    $"handler of {pending.Event} failed (its writes were rolled back; the event stands): {outcome.Message}");
            }
            else if (Log.Enabled)
            {
                Log.Write(LogLevel.Debug, handler.Module.Name, handler.Reducer.Name, $"handled {pending.Event} (depth {pending.Depth})");
            }
        }
    }

    private ScheduledCall? NextDue()
    {
        long now = NextTimestamp();
        using var transaction = _database.BeginReadOnly();
        return _environment.Schedules.FirstDue(transaction, now, _environment.Modules.IsLoaded);
    }

    private void RunScheduled(ScheduledCall call)
    {
        _environment.Modules.TryGet(call.Module, out var module);
        var reducer = module.FindReducer(call.Reducer);
        string? problem = reducer is null ? $"module {module.Name} no longer has a reducer `{call.Reducer}`"
            : reducer.IsHandler ? $"{reducer} now handles a subscription"
            : null;
        if (problem == null)
        {
            try
            {
                Abi.Encoding.ValueCodec.Validate(reducer!.ArgsType, call.Arguments, module.Schema.TypeTable);
            }
            catch (Abi.Encoding.AbiDecodeException e)
            {
                problem = $"its arguments no longer decode as {reducer!.ArgsType}: {e.Message}";
            }
        }
        if (problem != null)
        {
            Log.Write(LogLevel.Error, module.Name, call.Reducer, $"scheduled call #{call.Id} dropped: {problem}");
            RunNodeTransaction(CommitKind.Scheduled, module.Name, transaction => _environment.Schedules.Delete(transaction, call.Id));
            return;
        }
        var origin = new Origin(CommitKind.Scheduled, "node", $"schedule #{call.Id}", 0);
        var outcome = RunReducer(module, reducer!, call.Arguments, origin, call);
        if (!outcome.Succeeded)
            Log.Write(LogLevel.Error, module.Name, reducer!.Name, $"scheduled call #{call.Id} failed (its writes were rolled back): {outcome.Message}");
    }
}
