using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Modules;
using Interstice.Core.Scheduling;
using Interstice.Core.Storage;
using Interstice.Core.Subscriptions;
using Interstice.Core.Transactions;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>
/// The node's one writer. Every write transaction (a call from outside, a subscription handler,
/// a scheduled reducer, a module load or unload) runs here, one at a time, under one lock (the
/// writer), on the caller's thread (no thread hop); under the Sync policy, calls from outside
/// wait in line instead (<see cref="QueuedCall"/>) and are run by whichever thread holds the
/// writer. The order in which transactions take the lock is the commit order. After each
/// commit, the commit pipeline runs: the transaction is appended to the commit log (on a
/// durable node) and then handed to the commit sink, the change set is
/// applied to committed state, a snapshot is started when one is due, in-process subscribers
/// are told, and the handlers of the events it produced are queued; queued handlers then run
/// breadth-first, each as its own transaction, before the lock is released.
/// <para>
/// Durability does not hold up the writer: appending only copies the record into the log's
/// buffer, so later transactions may read earlier ones' effects before they are durable (the log
/// keeps commit order, so a crash loses a suffix, a consistent state). The thread that asked
/// for the work waits, outside the lock, until the last record appended when its work ended
/// (its transaction, what the transaction triggered, and every commit it could have read) is as
/// durable as the policy promises; meanwhile other callers' transactions run and join the same
/// fsync (group commit).
/// </para>
/// </summary>
internal sealed class Executor
{
    private readonly Lock _lock = new();
    private readonly Database _database;
    private readonly HostEnvironment _environment;
    private readonly ICommitSink _sink;
    private readonly DurableStore? _store;
    private readonly SubscriptionIndex _subscriptions;
    private readonly PendingHandlerTable _pendingHandlers;
    /// <summary><see cref="SubscriptionIndex.HasHandlers"/>, made a delegate once (the commit path asks it).</summary>
    private readonly Predicate<Storage.Table> _hasHandlers;
    private readonly RowObservers _observers;
    private readonly CallScope _scope = new();
    private readonly Queue<PendingHandler> _cascade = new();
    /// <summary>The handler calls of the transaction at hand, recorded and not yet queued (<see cref="QueueHandlers"/>).</summary>
    private readonly List<PendingHandler> _queued = [];
    /// <summary>Calls from outside waiting for the writer (see <see cref="QueuedCall"/>).</summary>
    private readonly ConcurrentQueue<QueuedCall> _queue = new();
    /// <summary>
    /// Whether calls from outside wait in line: only when each caller sleeps until an fsync
    /// anyway (policy Sync). When acknowledgement is microseconds away, or there is no log, a
    /// caller that runs its own call under the lock and spins for its write sleeps less (measured:
    /// in memory with 16 callers, the line cost two context switches per call, the lock none).
    /// </summary>
    private readonly bool _queueCalls;
    /// <summary>How many calls in line one thread runs before it hands the line over (its own caller waits meanwhile).</summary>
    private const int CallsPerTurn = 32;
    private long _sequence;
    private long _lastTimestamp;
    private string? _fault;
    /// <summary>Scratch space for a log record's inputs.</summary>
    private byte[] _inputs = new byte[256];

    /// <summary>
    /// An executor over <paramref name="database"/>; on a durable node, <paramref name="store"/>
    /// is its commit log and snapshots, and numbering and time continue after the last
    /// transaction recovered (<paramref name="lastSequence"/>, <paramref name="lastTimestamp"/>).
    /// </summary>
    public Executor(Database database, HostEnvironment environment, SubscriptionIndex subscriptions, PendingHandlerTable pendingHandlers,
        RowObservers observers, Watchdog watchdog, DurableStore? store, long lastSequence, long lastTimestamp)
    {
        watchdog.Register(_scope);
        _database = database;
        _environment = environment;
        _sink = environment.Options.CommitSink;
        _store = store;
        _queueCalls = store != null && !store.Log.AcknowledgesOnWrite;
        _sequence = lastSequence;
        _lastTimestamp = lastTimestamp;
        _subscriptions = subscriptions;
        _pendingHandlers = pendingHandlers;
        _hasHandlers = subscriptions.HasHandlers;
        _observers = observers;
    }

    /// <summary>Raised (on the executor) after a commit that queued or cancelled scheduled calls.</summary>
    public event Action? SchedulesChanged;

    private NodeOptions Options => _environment.Options;

    private NodeLog Log => _environment.Log;

    /// <summary>
    /// Runs <paramref name="work"/> as the writer (nothing else writes meanwhile), then waits
    /// until what it committed is durable.
    /// </summary>
    public T Exclusive<T>(Func<T> work)
    {
        var (result, ticket) = AsWriter(work);
        ticket.Wait();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> as the writer without waiting for durability: for closing the
    /// node, which commits nothing and whose store then writes and fsyncs what is pending (a wait
    /// would throw when the log has failed, and closing must not).
    /// </summary>
    public void ExclusiveWithoutWait(Action work) => AsWriter(() =>
    {
        work();
        return 0;
    });

    /// <summary>Runs <paramref name="work"/> as the writer; returns its result and the ticket to wait on before answering.</summary>
    private (T Result, LogTicket Ticket) AsWriter<T>(Func<T> work)
    {
        T result;
        LogTicket ticket;
        EnterWriter();
        try
        {
            result = work();
        }
        finally
        {
            ticket = ExitWriter();
        }
        return (result, ticket);
    }

    /// <summary>
    /// Runs reducer <paramref name="reducer"/> called from outside as one transaction, then the
    /// subscriptions it triggers, and returns once its records are as durable as the policy
    /// promises. Throws <see cref="CallFailedException"/> when the reducer fails (everything it
    /// and its callees wrote is rolled back).
    /// </summary>
    public void CallFromClient(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        if (_queueCalls)
        {
            CallInLine(module, reducer, arguments);
            return;
        }
        CallOutcome outcome;
        LogTicket ticket;
        EnterWriter();
        try
        {
            outcome = RunClientCall(module, reducer, arguments);
        }
        finally
        {
            ticket = ExitWriter();
        }
        ticket.Wait();
        if (!outcome.Succeeded) throw outcome.ToException(module.Name, reducer.Name);
    }

    /// <summary>
    /// <see cref="CallFromClient"/> on a node whose callers sleep until an fsync: the call joins
    /// the line (<see cref="QueuedCall"/>) and is run by the thread serving it, which is this
    /// one when the writer is free.
    /// </summary>
    private void CallInLine(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        ThrowIfReentrant();
        var call = QueuedCall.Rent(module, reducer, arguments);
        try
        {
            _queue.Enqueue(call);
            RunQueuedCalls();
            call.Waiter.Block();
            while (call.LineGiven)
            {
                call.LineGiven = false;
                call.Waiter.Prepare();
                ServeLine(call);
                call.Waiter.Block();
            }
            call.Error?.Throw();
            call.Ticket.Wait();
            if (!call.Outcome.Succeeded) throw call.Outcome.ToException(module.Name, reducer.Name);
        }
        finally
        {
            call.Return();
        }
    }

    /// <summary>A client call and the cascade it triggers, as the writer.</summary>
    private CallOutcome RunClientCall(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments)
    {
        if (!module.IsLoaded) throw new CallFailedException(module.Name, reducer.Name, CallFailure.NoSuchModule, $"module `{module.Name}` was unloaded");
        var outcome = RunReducer(module, reducer, arguments, new Origin(CommitKind.Call, "client", null, 0), nodeWrite: null, out _);
        RunCascade();
        return outcome;
    }

    /// <summary>
    /// Takes the writer if it is free and serves the line. A thread that finds the writer taken
    /// leaves its call to the holder, which serves the line again after releasing the writer if
    /// calls came in meanwhile (so none is left waiting).
    /// </summary>
    private void RunQueuedCalls()
    {
        while (!_queue.IsEmpty && _lock.TryEnter())
        {
            QueuedCall? next;
            try
            {
                next = RunLine();
            }
            finally
            {
                _lock.Exit();
            }
            if (next != null)
            {
                GiveLine(next);
                return;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/>, which was given the line untaken, then serves the line; the
    /// writer may be taken meanwhile by a newcomer, so this waits for it.
    /// </summary>
    private void ServeLine(QueuedCall call)
    {
        QueuedCall? next;
        _lock.Enter();
        try
        {
            RunQueued(call);
            next = RunLine();
        }
        finally
        {
            _lock.Exit();
        }
        if (next != null) GiveLine(next);
        else RunQueuedCalls();
    }

    /// <summary>
    /// As the writer, runs the calls in line until none is left or <see cref="CallsPerTurn"/>
    /// have run; then returns the next call, taken from the line but not run, for its own
    /// caller to run and serve the line after it (so no thread serves others for long while
    /// its own caller waits), or null.
    /// </summary>
    private QueuedCall? RunLine()
    {
        for (int ran = 0; _queue.TryDequeue(out var call); ran++)
        {
            if (ran == CallsPerTurn) return call;
            RunQueued(call);
        }
        return null;
    }

    /// <summary>Wakes the caller of <paramref name="call"/> (taken from the line, not run) to run it and serve the line.</summary>
    private static void GiveLine(QueuedCall call)
    {
        call.LineGiven = true;
        call.Waiter.Release();
    }

    /// <summary>Runs one call in line as the writer, then hands its caller to the log to be woken when it is durable.</summary>
    private void RunQueued(QueuedCall call)
    {
        try
        {
            call.Outcome = RunClientCall(call.Module, call.Reducer, call.Arguments);
        }
        catch (Exception e)
        {
            // As when a caller leaves the writer after a throw: its queued handlers are dropped.
            _cascade.Clear();
            call.Error = ExceptionDispatchInfo.Capture(e);
        }
        call.Ticket = DurableTicket();
        call.Ticket.ReleaseWhenAcknowledged(call.Waiter);
    }

    /// <summary>
    /// Records a module's first load (<paramref name="record"/> writes its row in
    /// <c>interstice.modules</c>) and runs its <c>init</c> handlers and what they trigger. The
    /// record is made in the transaction of the first handler (kept when the handler fails),
    /// with the rows of the other handlers in <c>interstice.pending_handlers</c>, so a crash
    /// cannot leave the module recorded as loaded without its handlers run or owed (no later
    /// load would run them); without handlers it is a transaction of its own.
    /// <paramref name="logged"/> is that transaction's ticket once the log accepted it. Caller
    /// holds the writer.
    /// </summary>
    public void RunFirstLoad(LoadedModule module, Action<Transaction> record, out LogTicket? logged)
    {
        var handlers = SubscriptionIndex.InitHandlers(module);
        if (handlers.Count == 0)
        {
            RunNodeTransaction(CommitKind.ModuleLoaded, module.Name, record, out logged);
            return;
        }
        Action<Transaction> recordLoad = transaction =>
        {
            record(transaction);
            try
            {
                // The others first, so that what the first triggers runs after them, breadth-first as ever.
                for (int i = 1; i < handlers.Count; i++) _cascade.Enqueue(Record(transaction, new PendingHandler(handlers[i], [], "init", 1, null), durableEvent: true));
            }
            catch (Exception e) when (IsUnrecordable(e))
            {
                // The load is undone (leaving the writer drops what was queued).
                throw new ModuleLoadException(module.Name, [$"its init handler calls cannot be recorded: {e.Message}"]);
            }
        };
        RunHandler(new PendingHandler(handlers[0], [], "init", 1, null), recordLoad, out logged);
        RunCascade();
    }

    /// <summary>
    /// Runs the subscription handlers that a previous run of the node queued and never ran (a
    /// crash or a fault came between the transaction that queued them and their own), in the
    /// order they were queued, then what they trigger: at a start, once the modules are restored
    /// and before the node accepts calls. A row whose module is not loaded, or whose reducer no
    /// longer handles such an event, is deleted with a warning. Caller holds the writer.
    /// </summary>
    public void RunLeftPendingHandlers()
    {
        List<PendingHandlerTable.Row> rows;
        using (var read = _database.BeginReadOnly()) rows = _pendingHandlers.All(read);
        if (rows.Count == 0) return;
        Log.Write(LogLevel.Info, null, null, $"{rows.Count} subscription handler call(s) queued before the node stopped had not run: running them now");
        foreach (var row in rows)
        {
            var functions = _environment.Modules.TryGet(row.Module, out var module) ? module.Functions : null;
            if (QueuedCallCheck.Problem(row, functions, Options.MaxSubscriptionDepth, out var reducer) is { } problem)
            {
                Log.Write(LogLevel.Warn, row.Module, row.Reducer, $"handler call of {row.Event} left pending (#{row.Id}) dropped: {problem}");
                ulong id = row.Id;
                RunNodeTransaction(CommitKind.Subscription, row.Module, transaction => _pendingHandlers.Delete(transaction, id), out _);
                continue;
            }
            _cascade.Enqueue(new PendingHandler(new Handler(module, reducer!), row.Arguments, row.Event, row.Depth, row.Id));
        }
        RunCascade();
    }

    /// <summary>
    /// Runs every scheduled call that is due, in (due time, id) order, each as its own
    /// transaction followed by its cascade; returns how many ran. Calls of modules that are not
    /// loaded wait.
    /// </summary>
    public int RunDueSchedules()
    {
        int ran = 0;
        LogTicket ticket;
        EnterWriter();
        try
        {
            while (NextDue() is { } call)
            {
                RunScheduled(call);
                RunCascade();
                ran++;
            }
        }
        finally
        {
            ticket = ExitWriter();
        }
        ticket.Wait();
        return ran;
    }

    /// <summary>The due time of the earliest scheduled call of a loaded module, or null.</summary>
    public long? EarliestDue()
    {
        using var transaction = _database.BeginReadOnly();
        return _environment.Schedules.EarliestDue(transaction, _environment.Modules.IsLoaded);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of its own made by the node (module
    /// management, a dropped scheduled call), records it as <paramref name="kind"/> and applies
    /// it. Caller holds the writer. <paramref name="logged"/> says where its record is in the
    /// log: set as soon as the log accepts it (also when a commit sink's failure then throws),
    /// null when nothing was logged (it wrote nothing, or the log refused it); on a node without
    /// a log, an acknowledged ticket once applied.
    /// </summary>
    public void RunNodeTransaction(CommitKind kind, string module, Action<Transaction> write, out LogTicket? logged)
    {
        logged = null;
        ThrowIfFaulted();
        long timestamp = NextTimestamp();
        long sequence = NextSequence();
        var transaction = _database.BeginTransaction();
        try
        {
            write(transaction);
            var changes = transaction.Commit();
            Publish(new CommitRecord(sequence, kind, module, null, "node", ReadOnlyMemory<byte>.Empty, timestamp, 0, null, 0, changes), out logged);
        }
        finally
        {
            if (transaction.IsActive) transaction.Dispose();
        }
    }

    /// <summary>
    /// Logs a node event (a module's tables created or dropped) in the transaction order, on a
    /// durable node; <paramref name="create"/> makes the record from its transaction id and
    /// timestamp. Caller holds the writer.
    /// </summary>
    public void LogEvent(Func<ulong, long, NodeEventRecord> create)
    {
        if (_store == null) return;
        ThrowIfFaulted();
        var record = create((ulong)NextSequence(), NextTimestamp());
        try
        {
            _store.Log.AppendEvent(record);
        }
        catch (Exception e)
        {
            throw Fault($"the commit log failed on event #{record.TransactionId}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether work must keep its effects in memory, so that the tables hold exactly what the log
    /// has, once <paramref name="decisive"/> (the ticket of the record a restart recovers the work
    /// by; null when the log never accepted it) was given. While the log works, that is once the
    /// log accepted the record: a restart recovers it, and a snapshot's cut is labelled with it.
    /// Once the log has failed, no snapshot is taken and nothing more is written; what counts then
    /// is what may have been answered as committed: the work stands when the record was
    /// acknowledged before the failure (under <see cref="DurabilityPolicy.Interval"/> and
    /// <see cref="DurabilityPolicy.None"/> that is once written, and readers were answered from
    /// then on). On a node without a log, a record's ticket is acknowledged once applied.
    /// </summary>
    public bool Stands(LogTicket? decisive) =>
        decisive is { } ticket && (_store?.Log.Failure == null || ticket.IsAcknowledged);

    /// <summary>
    /// Takes a snapshot of every durable table now (between transactions); the task completes
    /// once it is written and published. Caller holds the writer; nothing on a node in memory.
    /// </summary>
    public Task TakeSnapshot()
    {
        try
        {
            return _store?.TakeSnapshot(_database) ?? Task.CompletedTask;
        }
        catch (CommitLogFailedException e)
        {
            // The store refuses once the log failed: for the node's caller that is the node's fault.
            throw new NodeFaultedException(e.Message, e);
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
        ThrowIfReentrant();
        _lock.Enter();
    }

    /// <summary>Throws when the calling thread holds the writer (a table event callback calling back into the node).</summary>
    public void ThrowIfReentrant()
    {
        if (_lock.IsHeldByCurrentThread)
            throw new InvalidOperationException("the node is already running a transaction on this thread: a table event callback cannot call reducers, load or unload modules, take a snapshot or close the node");
    }

    /// <summary>
    /// Leaves the writer; handlers still queued (when a transaction threw: the node faulted) are
    /// not run by the next caller. On a durable node their rows in <c>interstice.pending_handlers</c>
    /// stay, so the next start runs them. Returns the ticket to wait on (<see cref="DurableTicket"/>).
    /// </summary>
    private LogTicket ExitWriter()
    {
        var ticket = DurableTicket();
        _cascade.Clear();
        _lock.Exit();
        RunQueuedCalls();
        return ticket;
    }

    /// <summary>
    /// What an answer must wait for: the last record appended, not only the caller's own. A call
    /// that appended nothing (it failed, or wrote nothing) may still have read, or failed because
    /// of, commits not yet durable, and a read sees every commit applied so far; an answer must
    /// not reveal what a crash could take back. Take it as the writer (every commit it could have
    /// seen is appended) or once a read-only transaction has begun (commits are appended before
    /// they are applied). When the log has failed, waiting on it throws only if that last record
    /// was not acknowledged before the failure.
    /// </summary>
    public LogTicket DurableTicket() => _store?.Log.LastTicket ?? default;

    private void ThrowIfFaulted()
    {
        if (_fault == null && _store?.Log.Failure is { } failure) Fault(failure.Message, failure);
        if (_fault != null) throw new NodeFaultedException($"the node stopped accepting writes: {_fault}");
    }

    /// <summary>
    /// The next transaction id. A node writes none past <see cref="LogFormat.MaxTransactionId"/>,
    /// which recovery would refuse; only a forged or damaged data directory brings a node there,
    /// and it then faults rather than write one.
    /// </summary>
    private long NextSequence()
    {
        if ((ulong)_sequence >= LogFormat.MaxTransactionId)
        {
            string reason = $"transaction ids are used up: the last, {_sequence}, is the highest a node writes";
            throw Fault(reason, new InvalidOperationException(reason));
        }
        return ++_sequence;
    }

    /// <summary>Stops the node accepting writes: the transaction at hand can no longer be known to be durable.</summary>
    private NodeFaultedException Fault(string reason, Exception cause)
    {
        if (_fault == null)
        {
            _fault = reason;
            Log.Write(LogLevel.Error, null, null, reason);
        }
        return new NodeFaultedException(reason, cause);
    }

    /// <summary>What started a transaction, for its commit record.</summary>
    private readonly record struct Origin(CommitKind Kind, string Caller, string? Trigger, int Depth);

    /// <summary>
    /// Runs one reducer as one transaction and commits it when it succeeds. The node's own
    /// <paramref name="nodeWrite"/>, when given, is made in the same transaction before the call
    /// and kept even when the reducer fails (a scheduled call's row deleted; a first load's record
    /// in <c>interstice.modules</c>). <paramref name="logged"/> is the record's ticket once the
    /// log accepted it (<see cref="Publish"/>).
    /// </summary>
    private CallOutcome RunReducer(LoadedModule module, FunctionBinding reducer, ReadOnlySpan<byte> arguments, Origin origin,
        Action<Transaction>? nodeWrite, out LogTicket? logged)
    {
        logged = null;
        ThrowIfFaulted();
        long timestamp = NextTimestamp();
        long sequence = NextSequence();
        ulong seed = TransactionRandom.Seed(sequence, timestamp);
        var transaction = _database.BeginTransaction();
        _scope.Begin(transaction, readOnly: false, timestamp, seed, Options.CallDeadline);
        try
        {
            Savepoint? beforeCall = null;
            if (nodeWrite != null)
            {
                nodeWrite(transaction);
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
            outcome = _scope.Settle(outcome);
            // Before the savepoint is settled: a call whose handler calls cannot be recorded fails, keeping only the node's write.
            bool queued = outcome.Succeeded && TryQueueHandlers(transaction, origin.Depth + 1, ref outcome);

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
            if (!queued) QueueHandlers(transaction, origin.Depth + 1);
            var changes = transaction.Commit();
            if (!changes.IsEmpty)
            {
                Publish(new CommitRecord(sequence, origin.Kind, module.Name, reducer.Name, origin.Caller, arguments.ToArray(),
                    timestamp, seed, origin.Trigger, origin.Depth, changes), out logged);
            }
            return outcome;
        }
        finally
        {
            _scope.End();
            if (transaction.IsActive) transaction.Dispose();
        }
    }

    /// <summary>
    /// Appends the record to the commit log, hands it to the sink, applies its changes, takes a
    /// snapshot if one is due, and tells in-process subscribers. The log comes first: a record
    /// it refuses faults the node before anything else sees the transaction (its change set is
    /// discarded), so the sink never holds one the node does not have. Once the log has it, the
    /// transaction stands (a restart recovers it, and the database must hold exactly the log's
    /// effects for a snapshot's cut): a sink that fails then faults the node only after the
    /// changes are applied and the log has made them durable. <paramref name="logged"/> is the
    /// record's ticket in the log once it accepted it, null until then (on a node without a log,
    /// an acknowledged ticket: the transaction stands once applied).
    /// </summary>
    private void Publish(CommitRecord record, out LogTicket? logged)
    {
        logged = null;
        var changes = record.Changes;
        if (changes.IsEmpty) return;
        if (_store != null)
        {
            try
            {
                logged = AppendToLog(record);
            }
            catch (Exception e)
            {
                // The transaction never happened: drop its change set, so that the caller can
                // undo what led to it (a module load's tables) and the fault is what it reports.
                _database.Discard(changes);
                throw Fault($"the commit log failed on transaction #{record.Sequence}: {e.Message}", e);
            }
        }
        // A node in memory: applying the transaction is all there is to it (an acknowledged ticket).
        else logged = default(LogTicket);
        Exception? sinkFailure = null;
        try
        {
            _sink.Append(record);
        }
        catch (Exception e)
        {
            sinkFailure = e;
        }
        _database.Apply(changes);
        _store?.SnapshotIfDue(_database);
        _observers.Notify(changes, record.Sequence);
        foreach (ref readonly var change in changes.Rows)
        {
            if (change.Table == _environment.Schedules.Storage)
            {
                SchedulesChanged?.Invoke();
                break;
            }
        }
        if (sinkFailure != null)
        {
            // The answer says the transaction is logged: it must be durable first. The writer is
            // held meanwhile (no other write runs); the node faults once the wait is over, with a
            // message that says whether the log or the sink failed.
            try
            {
                DurableTicket().Wait();
            }
            catch (Exception e)
            {
                throw Fault($"the commit log failed on transaction #{record.Sequence}: {e.Message} (the commit sink had failed on it too: {sinkFailure.Message})", e);
            }
            throw Fault($"the commit sink failed on transaction #{record.Sequence}, which is committed {(_store != null ? "(logged and applied)" : "(applied)")} but missing from the sink: {sinkFailure.Message}", sinkFailure);
        }
    }

    private LogTicket AppendToLog(CommitRecord record)
    {
        int size = CommitInputs.Measure(record);
        if (_inputs.Length < size) _inputs = new byte[Math.Max(size, _inputs.Length * 2)];
        CommitInputs.Write(record, _inputs);
        return _store!.Log.AppendTransaction((ulong)record.Sequence, record.Timestamp, _inputs.AsSpan(0, size), record.Changes);
    }

    /// <summary>
    /// Queues the handlers of every row change <paramref name="transaction"/> is about to commit,
    /// in write order, then subscriber order, each with its row in <c>interstice.pending_handlers</c>
    /// written by the transaction itself (<see cref="Record"/>). Should the transaction not
    /// commit after all (its record refused: the node faults), leaving the writer drops the
    /// queue. Caller holds the writer.
    /// </summary>
    private void QueueHandlers(Transaction transaction, int depth)
    {
        if (!transaction.WroteTo(_hasHandlers)) return;
        _queued.Clear();
        var changes = transaction.PendingChanges();
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
                var pending = new PendingHandler(handler, arguments, name, depth, null);
                if (depth <= Options.MaxSubscriptionDepth)
                {
                    _queued.Add(Record(transaction, pending, durableEvent: !change.Table.Definition.IsEphemeral));
                }
                else if (skipped++ == 0)
                {
                    first = pending;
                }
            }
        }
        // Queued only once all are recorded: a call whose handler calls cannot be recorded queues none.
        foreach (var pending in _queued) _cascade.Enqueue(pending);
        _queued.Clear();
        if (skipped > 0)
        {
            Log.Write(LogLevel.Error, first.Handler.Module.Name, first.Handler.Reducer.Name,
                $"subscription cascade stopped: {first.Handler.Reducer} on {first.Event} would run at depth {depth}, past the limit of {Options.MaxSubscriptionDepth}; " +
                $"{skipped} handler call(s) were not run. Handlers whose writes trigger handlers again loop; the node carries on (NodeOptions.MaxSubscriptionDepth sets the limit)");
        }
    }

    /// <summary>
    /// <see cref="QueueHandlers"/> for a call that succeeded; false, queueing nothing, when the
    /// node cannot record the handler calls in <c>interstice.pending_handlers</c> (its id
    /// sequence is exhausted or behind its rows: only a damaged or forged data directory does
    /// that), with <paramref name="outcome"/> made the call's failure: it cannot commit without them.
    /// </summary>
    private bool TryQueueHandlers(Transaction transaction, int depth, ref CallOutcome outcome)
    {
        try
        {
            QueueHandlers(transaction, depth);
            return true;
        }
        catch (Exception e) when (IsUnrecordable(e))
        {
            // Nothing was queued; the rows recorded before the failure go with the rollback that follows.
            outcome = CallOutcome.Failed(CallFailure.Failed, $"the subscription handler calls it owes cannot be recorded: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/>, thrown while recording handler calls in
    /// <c>interstice.pending_handlers</c>, says the table cannot take them: its id sequence is
    /// exhausted or behind its rows, which only a damaged or forged data directory leaves.
    /// </summary>
    private static bool IsUnrecordable(Exception error) => error is SequenceExhaustedException or UniqueViolationException;

    /// <summary>
    /// <paramref name="pending"/>, to be queued to run after the transaction at hand: on a
    /// durable node, when its event is logged (<paramref name="durableEvent"/>), recorded in
    /// <c>interstice.pending_handlers</c> within that transaction, for its own transaction to
    /// delete: a crash in between leaves it owed, not lost. Handlers of an ephemeral table's
    /// events are not recorded: the event is as elusive as the table's rows.
    /// </summary>
    private PendingHandler Record(Transaction transaction, PendingHandler pending, bool durableEvent)
    {
        if (_store == null || !durableEvent) return pending;
        var (module, reducer) = (pending.Handler.Module.Name, pending.Handler.Reducer.Name);
        return pending with { Row = _pendingHandlers.Add(transaction, module, reducer, pending.Event, pending.Depth, pending.Arguments) };
    }

    /// <summary>Runs queued handlers breadth-first until none is left.</summary>
    private void RunCascade()
    {
        while (_cascade.TryDequeue(out var pending))
        {
            if (pending.Handler.Module.IsLoaded) RunHandler(pending, nodeWrite: null, out _);
        }
    }

    /// <summary>
    /// Runs one handler as a transaction of its own and logs how it went. The node's write in
    /// that transaction (<see cref="RunReducer"/>: kept when the handler fails) is
    /// <paramref name="nodeWrite"/> when given, else the deletion of the handler's row in
    /// <c>interstice.pending_handlers</c> when it has one.
    /// </summary>
    private void RunHandler(PendingHandler pending, Action<Transaction>? nodeWrite, out LogTicket? logged)
    {
        if (nodeWrite == null && pending.Row is { } row) nodeWrite = transaction => _pendingHandlers.Delete(transaction, row);
        var handler = pending.Handler;
        var origin = new Origin(CommitKind.Subscription, "node", pending.Event, pending.Depth);
        var outcome = RunReducer(handler.Module, handler.Reducer, pending.Arguments, origin, nodeWrite, out logged);
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

    private ScheduledCall? NextDue()
    {
        long now = NextTimestamp();
        using var transaction = _database.BeginReadOnly();
        return _environment.Schedules.FirstDue(transaction, now, _environment.Modules.IsLoaded);
    }

    private void RunScheduled(ScheduledCall call)
    {
        _environment.Modules.TryGet(call.Module, out var module);
        // The schedule's row goes in any case: with the call's transaction, or alone when the call is dropped.
        Action<Transaction> deleteRow = transaction => _environment.Schedules.Delete(transaction, call.Id);
        if (QueuedCallCheck.Problem(module.Functions, call.Reducer, call.Arguments, handler: false, out var reducer) is { } problem)
        {
            Log.Write(LogLevel.Error, module.Name, call.Reducer, $"scheduled call #{call.Id} dropped: {problem}");
            RunNodeTransaction(CommitKind.Scheduled, module.Name, deleteRow, out _);
            return;
        }
        var origin = new Origin(CommitKind.Scheduled, "node", $"schedule #{call.Id}", 0);
        var outcome = RunReducer(module, reducer!, call.Arguments, origin, deleteRow, out _);
        if (!outcome.Succeeded)
            Log.Write(LogLevel.Error, module.Name, reducer!.Name, $"scheduled call #{call.Id} failed (its writes were rolled back): {outcome.Message}");
    }
}
