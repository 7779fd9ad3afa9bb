using System.Collections.Concurrent;
using System.Text.Json;
using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Execution;
using Interstice.Core.Modules;
using Interstice.Core.Scheduling;
using Interstice.Core.Storage;
using Interstice.Core.Subscriptions;
using Interstice.Wasm;
using Table = Interstice.Core.Storage.Table;

namespace Interstice.Core;

/// <summary>
/// An Interstice node, in process: it loads modules, runs their reducers (one transaction at a
/// time, in a deterministic order) and their queries (concurrently, on committed state), fires
/// their subscriptions and scheduled calls, and lets the host read tables and follow table events.
/// <para>
/// Everything called on a node from .NET is a <em>client</em> call: private modules' reducers,
/// queries and tables are refused (<see cref="CallFailure.PermissionDenied"/>); only modules on
/// the same node reach them. Thread-safe. See docs/node.md.
/// </para>
/// <para>
/// With <see cref="NodeOptions.Durability"/> the node is durable: it starts by restoring its
/// state from the data directory (newest snapshot, then the log after it, running no
/// WebAssembly; then the modules that were loaded, from their stored binaries, without running
/// <c>init</c> again; then the subscription handlers that logged transactions still owe, which a
/// crash kept from running) and only then accepts calls; every commit is logged, and a call returns
/// once its transaction is as durable as the policy promises. The node holds the data
/// directory's lock until it is disposed: a second node on it (in any process) is refused with
/// <see cref="Durability.DataDirectoryInUseException"/>. See docs/durability.md.
/// </para>
/// </summary>
public sealed partial class Node : IDisposable
{
    private readonly Engine _engine = new(ModuleEngineOptions);
    private readonly Database _database = new();
    private readonly ModuleRegistry _modules = new();
    private readonly AuthorityRegistry _authorities;
    private readonly ModuleLoadCheck _loadCheck;
    private readonly SubscriptionIndex _subscriptions = new();
    private readonly RowObservers _observers;
    private readonly HostEnvironment _environment;
    private readonly Executor _executor;
    private readonly Scheduler _scheduler;
    private readonly Watchdog _watchdog;
    /// <summary>Call scopes for queries from outside, reused (each is registered with the watchdog once).</summary>
    private readonly Stack<CallScope> _queryScopes = new();
    private readonly ModuleTable _moduleTable;
    private readonly ModuleStore? _moduleStore;
    private readonly DurableStore? _store;
    private readonly TableBinding[] _systemTables;
    /// <summary>Tables of unloaded modules, kept (with their data) for when the module is loaded again. Written by the executor, read by anyone.</summary>
    private readonly ConcurrentDictionary<string, TableBinding[]> _retained = new(StringComparer.Ordinal);
    private int _disposed;

    public Node(NodeOptions? options = null)
    {
        Options = options ?? new NodeOptions();
        Options.Validate();
        var log = new NodeLog(Options.Log);
        var systemTables = SystemModule.CreateTables(_database);
        _moduleTable = new ModuleTable(systemTables.Modules);
        _systemTables = systemTables.All;
        _authorities = new AuthorityRegistry(Options.GrantableAuthorities);
        _loadCheck = new ModuleLoadCheck(name => _modules.TryGet(name, out var loaded) ? loaded.Info : null, _authorities, Options.NodeName);
        _observers = new RowObservers(log);
        _environment = new HostEnvironment(_modules, Options, log, new ScheduleTable(systemTables.Schedules));
        _watchdog = new Watchdog(Options.CallDeadline);
        try
        {
            RecoveredModules? recovered = null;
            if (Options.Durability is { } durability)
            {
                var warn = durability.Warning;
                var written = durability.SnapshotWritten;
                durability = durability with
                {
                    Warning = warning =>
                    {
                        log.Write(LogLevel.Warn, null, null, warning);
                        warn?.Invoke(warning);
                    },
                    SnapshotWritten = report =>
                    {
                        log.Write(LogLevel.Info, null, null, report.ToString());
                        written?.Invoke(report);
                    },
                };
                recovered = new RecoveredModules();
                _store = DurableStore.RecoverAndOpen(durability, _database, recovered, out var recovery);
                Recovery = recovery;
                _moduleStore = new ModuleStore(durability.DataDirectory);
            }
            _executor = new Executor(_database, _environment, _subscriptions, new PendingHandlerTable(systemTables.PendingHandlers), _observers, _watchdog,
                _store, (long)(Recovery?.LastTransactionId ?? 0), Recovery?.LastTimestamp ?? 0);
            _scheduler = new Scheduler(_executor, Options, log);
            if (recovered != null)
            {
                _executor.Exclusive(() =>
                {
                    Restore(recovered);
                    _executor.RunLeftPendingHandlers();
                    return 0;
                });
            }
        }
        catch
        {
            _scheduler?.Dispose();
            _watchdog.Dispose();
            foreach (var module in _modules.All) module.Unload();
            _store?.Dispose();
            throw;
        }
        _scheduler.Arm();
    }

    public NodeOptions Options { get; }

    /// <summary>What a node compiles modules with (<c>log verify</c>'s start rehearsal compiles with the same).</summary>
    internal static EngineOptions ModuleEngineOptions { get; } = new() { ConsumeFuel = true };

    /// <summary>What the node restored from its data directory when it started (null for a node in memory).</summary>
    public RecoveryResult? Recovery { get; }

    /// <summary>The node's tables (for tests that compare whole states, and the benchmarks).</summary>
    internal Database Database => _database;

    /// <summary>The loaded modules, in load order.</summary>
    public IReadOnlyList<ModuleInfo> Modules
    {
        get
        {
            var modules = _modules.All;
            var infos = new ModuleInfo[modules.Count];
            for (int i = 0; i < infos.Length; i++) infos[i] = modules[i].Info;
            return infos;
        }
    }

    /// <summary>
    /// Loads a module from its WebAssembly binary: reads and validates its schema, checks its
    /// imports and exports, grants its authorities, checks its dependencies against the loaded
    /// modules, creates its tables (or takes back the ones it left when it was unloaded),
    /// instantiates it with the node's limits, and, on its first load on this node, runs its
    /// <c>init</c> handlers. Throws <see cref="ModuleLoadException"/> listing every problem; a
    /// failed load leaves nothing behind. A load during which the node faults stands exactly when
    /// a restart has it loaded: once the log has its row in <c>interstice.modules</c> (acknowledged
    /// it, or accepted it and a commit sink failed after); the caller then gets
    /// <see cref="NodeFaultedException"/>. Otherwise it is undone, and the caller gets the
    /// fault (<see cref="NodeFaultedException"/>, or <see cref="Durability.Log.CommitLogFailedException"/>
    /// when the load's own wait for its row saw the log's failure first), or the exception that
    /// stopped the load when the node did not fault.
    /// </summary>
    public ModuleInfo LoadModule(ReadOnlySpan<byte> wasm)
    {
        ThrowIfDisposed();
        ModuleContract contract;
        try
        {
            contract = ModuleContract.Read(wasm, _engine);
        }
        catch (ModuleContractException e)
        {
            throw new ModuleLoadException($"(binary of {wasm.Length} bytes)", [e.Message]);
        }
        byte[]? copy = _moduleStore != null ? wasm.ToArray() : null;
        return _executor.Exclusive(() => Load(contract, copy, restoring: false));
    }

    /// <summary>Loads the module in file <paramref name="path"/> (see <see cref="LoadModule(ReadOnlySpan{byte})"/>).</summary>
    public ModuleInfo LoadModuleFile(string path) => LoadModule(File.ReadAllBytes(path));

    /// <summary>
    /// Stops a module: its instances are released, its authorities given back, its reducers and
    /// queries unreachable. Its tables keep their data for when it is loaded again (its <c>init</c>
    /// handlers do not run again). Refused while a loaded module depends on it. When the node
    /// faults (<see cref="NodeFaultedException"/>, or <see cref="Durability.Log.CommitLogFailedException"/>
    /// when the log fails on the unload's record), the module is unloaded exactly when a restart
    /// has it unloaded.
    /// </summary>
    public void UnloadModule(string name)
    {
        ThrowIfDisposed();
        _executor.Exclusive(() =>
        {
            if (!_modules.TryGet(name, out var module)) throw new KeyNotFoundException($"no module `{name}` is loaded on this node");
            Unload(module);
            return 0;
        });
        _scheduler.Arm();
    }

    /// <summary>
    /// Unloads a module (if loaded) and deletes everything the node keeps for it: its tables and
    /// their data, its scheduled calls, its record (a later load is a first load again). One
    /// transaction deletes the record, also of a loaded module (no unload is recorded first), so
    /// that a crash leaves the module as it was or removed, never only unloaded. When the node
    /// faults (<see cref="NodeFaultedException"/>, or <see cref="Durability.Log.CommitLogFailedException"/>
    /// when the log fails on the removal's record), the module is removed exactly when a restart
    /// has it removed.
    /// </summary>
    public void RemoveModule(string name)
    {
        ThrowIfDisposed();
        _executor.Exclusive(() =>
        {
            bool loaded = _modules.TryGet(name, out var module);
            if (!loaded && !_retained.ContainsKey(name)) throw new KeyNotFoundException($"no module `{name}` is loaded or kept on this node");
            if (loaded) ThrowIfDependedOn(module);
            // Once the row is deleted a restart has the module removed (tables without a record are dropped).
            RecordThenApply(CommitKind.ModuleRemoved, name, transaction =>
            {
                _moduleTable.Delete(transaction, name);
                _environment.Schedules.DeleteModule(transaction, name);
            }, () => Forget(name, loaded ? module : null));
            _executor.LogEvent((id, timestamp) => new ModuleRemovedRecord(id, timestamp, name));
            return 0;
        });
        _scheduler.Arm();
    }

    /// <summary>
    /// Calls reducer <paramref name="reducer"/> of <paramref name="module"/> with its encoded
    /// arguments (the tuple of its arguments, docs/abi.md section 3), as one transaction; the
    /// subscriptions it triggers have run when this returns. Throws <see cref="CallFailedException"/>
    /// saying why when it fails; nothing it wrote is kept.
    /// </summary>
    public void CallReducer(string module, string reducer, ReadOnlySpan<byte> arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, reducer, query: false);
        Validate(target, function, arguments);
        _executor.CallFromClient(target, function, arguments);
    }

    /// <summary>Calls a reducer with typed arguments, one value per parameter (see <see cref="CallReducer(string, string, ReadOnlySpan{byte})"/>).</summary>
    public void CallReducer(string module, string reducer, params AbiValue[] arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, reducer, query: false);
        _executor.CallFromClient(target, function, Encode(target, function, arguments));
    }

    /// <summary>
    /// Calls a reducer with arguments in JSON: an array of the argument values in order, or an
    /// object with one member per argument name (docs/abi.md section 7 gives each type's form).
    /// </summary>
    public void CallReducerJson(string module, string reducer, string arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, reducer, query: false);
        _executor.CallFromClient(target, function, ParseArguments(target, function, arguments));
    }

    /// <summary>
    /// Runs query <paramref name="query"/> of <paramref name="module"/> against committed state,
    /// concurrently with other queries and with the writer; returns its encoded result once
    /// every commit it could see is as durable as the policy promises. Throws
    /// <see cref="CallFailedException"/> when it fails, <see cref="CommitLogFailedException"/>
    /// when the log failed to make what it saw durable.
    /// </summary>
    public byte[] RunQuery(string module, string query, ReadOnlySpan<byte> arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, query, query: true);
        Validate(target, function, arguments);
        return Query(target, function, arguments);
    }

    /// <summary>Runs a query with typed arguments and returns its result decoded.</summary>
    public AbiValue RunQuery(string module, string query, params AbiValue[] arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, query, query: true);
        byte[] result = Query(target, function, Encode(target, function, arguments));
        return ValueCodec.Decode(function.Returns!, result, target.Schema.TypeTable);
    }

    /// <summary>Runs a query with JSON arguments (as <see cref="CallReducerJson"/> takes them) and returns its result as JSON.</summary>
    public string RunQueryJson(string module, string query, string arguments)
    {
        ThrowIfDisposed();
        var (target, function) = Resolve(module, query, query: true);
        byte[] result = Query(target, function, ParseArguments(target, function, arguments));
        var types = target.Schema.TypeTable;
        return ValueJson.Format(function.Returns!, ValueCodec.Decode(function.Returns!, result, types), types);
    }

    /// <summary>The committed rows of a public module's table, in primary-key order (the stored rows themselves, not copies).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ReadRows(string module, string table)
    {
        ThrowIfDisposed();
        return ReadCommitted(ResolveTable(module, table));
    }

    /// <summary>The committed rows of a public module's table as JSON objects, in primary-key order.</summary>
    public IReadOnlyList<string> ReadRowsJson(string module, string table)
    {
        ThrowIfDisposed();
        var binding = ResolveTable(module, table);
        var rows = ReadCommitted(binding);
        var json = new string[rows.Count];
        for (int i = 0; i < json.Length; i++) json[i] = binding.FormatRow(rows[i].Span);
        return json;
    }

    private List<ReadOnlyMemory<byte>> ReadCommitted(TableBinding binding)
    {
        var rows = new List<ReadOnlyMemory<byte>>();
        LogTicket durable;
        using (var transaction = _database.BeginReadOnly())
        {
            durable = _executor.DurableTicket();
            using var scan = transaction.Scan(binding.Storage);
            while (scan.MoveNext()) rows.Add(scan.Current);
        }
        durable.Wait();
        return rows;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> for every committed change to a row of a public module's
    /// table, after the transaction commits, in commit order then write order, on the thread that
    /// runs the transaction (under the Sync policy possibly another caller's, so a callback must
    /// not wait for anything the calling thread holds: docs/node.md, Order). A callback may read
    /// (queries, <see cref="ReadRows"/>) but not call reducers or load modules of this node.
    /// Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(string module, string table, Action<RowEvent> callback)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(callback);
        return _observers.Add(ResolveTable(module, table).Storage, callback);
    }

    /// <summary>A row of <paramref name="module"/>'s table <paramref name="table"/> (loaded or kept) as JSON.</summary>
    public string FormatRow(string module, string table, ReadOnlySpan<byte> row)
    {
        TableBinding? binding = null;
        if (_modules.TryGet(module, out var loaded)) binding = loaded.FindTable(table);
        else if (_retained.TryGetValue(module, out var kept)) binding = Array.Find(kept, t => t.Schema.Name == table);
        else if (module == SystemModule.Name) binding = Array.Find(_systemTables, t => t.Schema.Name == table);
        if (binding is null) throw new KeyNotFoundException($"no table `{module}.{table}` on this node");
        return binding.FormatRow(row);
    }

    /// <summary>The scheduled reducer calls not run yet, in the order they will run (due time, then id).</summary>
    public IReadOnlyList<ScheduledCall> ScheduledCalls
    {
        get
        {
            ThrowIfDisposed();
            IReadOnlyList<ScheduledCall> calls;
            LogTicket durable;
            using (var transaction = _database.BeginReadOnly())
            {
                durable = _executor.DurableTicket();
                calls = _environment.Schedules.All(transaction);
            }
            durable.Wait();
            return calls;
        }
    }

    /// <summary>Runs every scheduled call that is due now (in due-time order) and what they trigger; returns how many ran.</summary>
    public int RunDueSchedules()
    {
        ThrowIfDisposed();
        return _executor.RunDueSchedules();
    }

    /// <summary>
    /// Takes a snapshot of every durable table now (between two transactions) and waits until it
    /// is written and published. Snapshots are also taken by themselves (see
    /// <see cref="DurabilityOptions.SnapshotEveryRecords"/>); this is for tools and tests.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node is in memory, or this is called from a
    /// snapshot's callback (<see cref="DurabilityOptions.SnapshotWritten"/>, <see cref="DurabilityOptions.Warning"/>),
    /// which would wait for itself.</exception>
    /// <exception cref="NodeFaultedException">The commit log failed: memory may no longer match it.</exception>
    public void TakeSnapshot()
    {
        ThrowIfDisposed();
        if (_store == null) throw new InvalidOperationException("the node keeps its state in memory: there is no data directory to take a snapshot into");
        if (_store.OnSnapshotThread) throw new InvalidOperationException("a snapshot's callback cannot take a snapshot: it runs on the snapshot's thread, which would wait for itself");
        // Wait for a snapshot being written without holding the writer: its callbacks may call
        // reducers, which need the writer. One that starts after that wait holds every commit made
        // before this call, so it serves as this call's snapshot. (Refused first on the writer's
        // own thread, which that wait could deadlock.)
        _executor.ThrowIfReentrant();
        _store.WaitForSnapshot();
        _executor.Exclusive(() => _store.SnapshotInProgress ?? _executor.TakeSnapshot()).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Stops the scheduler, releases every module instance and, on a durable node, writes and
    /// fsyncs what the log holds and closes it. Calls made afterwards throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a snapshot's callback (<see cref="DurabilityOptions.SnapshotWritten"/>,
    /// <see cref="DurabilityOptions.Warning"/>): closing waits for the snapshot, whose thread runs the callback.</exception>
    /// <exception cref="CommitLogFailedException">The log's last write or fsync, while closing, failed,
    /// or an earlier failure left records acknowledged on write without an fsync (the node is
    /// closed all the same): see <see cref="CommitLog.Dispose"/>.</exception>
    /// <exception cref="InvalidOperationException">Called from a table event callback (on the writer's
    /// thread) or from the log's <see cref="DurabilityOptions.Warning"/> callback (on its writer thread).</exception>
    public void Dispose()
    {
        if (_store is { OnSnapshotThread: true }) throw new InvalidOperationException("a snapshot's callback cannot dispose the node: closing waits for the snapshot, whose thread runs the callback");
        if (_store is { Log.OnWriterThread: true }) throw new InvalidOperationException("the commit log's Warning callback cannot dispose the node: closing waits for the log's writer thread, which runs the callback");
        // Before anything is marked closed: refused on the writer's own thread (a table event callback).
        _executor.ThrowIfReentrant();
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _scheduler.Dispose();
        _watchdog.Dispose();
        _executor.ExclusiveWithoutWait(() =>
        {
            foreach (var module in _modules.All) module.Unload();
        });
        _store?.Dispose();
    }

    /// <summary>
    /// Loads a module as the writer. When <paramref name="restoring"/> (a durable node starting
    /// up), the module is one the node had loaded: its tables are the recovered ones, and nothing
    /// is recorded or run (its load is in the log already, its <c>init</c> ran long ago).
    /// </summary>
    private ModuleInfo Load(ModuleContract contract, byte[]? wasm, bool restoring)
    {
        var schema = contract.Schema;
        string name = schema.Name;
        _retained.TryGetValue(name, out var retained);
        _loadCheck.Run(contract, retained);

        var tables = new TableBinding[schema.Tables.Count];
        var created = new List<Table>();
        LoadedModule? module = null;
        // The module's row in interstice.modules: a restart has the module loaded once the log has it.
        LogTicket? recorded = null;
        // Whether the log has the load's ModuleLoaded event (its tables' creation; also for a module without tables).
        bool creationLogged = false;
        _authorities.Claim(name, schema.Authorities);
        try
        {
            for (int i = 0; i < tables.Length; i++)
            {
                tables[i] = new TableBinding(name, schema.Tables[i], schema);
                var kept = retained is null ? null : Array.Find(retained, t => t.Schema.Name == schema.Tables[i].Name);
                if (kept != null)
                {
                    tables[i].Storage = kept.Storage;
                }
                else
                {
                    tables[i].Storage = _database.CreateTable(name, tables[i].Definition);
                    created.Add(tables[i].Storage);
                }
            }
            module = new LoadedModule(contract, tables, _environment);
            try
            {
                _ = module.Writer;
            }
            catch (WasmException e)
            {
                throw new ModuleLoadException(name, [$"it cannot be instantiated: {e.Message}"]);
            }
            if (!restoring)
            {
                // The binary is durable before the log names it; the tables' creation is logged
                // before any transaction touches them.
                if (wasm != null) _moduleStore!.Save(module.ContentHash, wasm);
                if (retained == null)
                {
                    _executor.LogEvent((id, timestamp) =>
                        new ModuleLoadedRecord(id, timestamp, name, Convert.FromHexString(module.ContentHash), SchemaBinary.Encode(schema)));
                    creationLogged = true;
                }
            }
            _modules.Add(module);
            _subscriptions.Rebuild(_modules, Options.NodeName);
            _retained.TryRemove(name, out _);
            if (!restoring)
            {
                var entry = new ModuleTable.Entry(name, schema.Version, module.ContentHash, Loaded: true);
                Action<Transactions.Transaction> record = transaction => _moduleTable.Write(transaction, entry);
                bool firstLoad;
                using (var read = _database.BeginReadOnly()) firstLoad = !_moduleTable.TryGet(read, name, out _);
                // A first load's record goes with its first init handler's transaction: RunFirstLoad.
                if (firstLoad) _executor.RunFirstLoad(module, record, out recorded);
                else _executor.RunNodeTransaction(CommitKind.ModuleLoaded, name, record, out recorded);
                // The log may fail on the row after accepting it: then the load is undone below,
                // as a restart has it, before anyone is answered (module operations are rare).
                recorded?.Wait();
            }
        }
        catch
        {
            // Once the log has the load's row, the load stands (a restart has the module loaded) and
            // the tables must keep holding what the log has: the caller gets the fault, nothing is
            // undone. Without the row a restart drops the tables, whatever else the log has.
            if (_executor.Stands(recorded)) throw;
            if (module != null && _modules.TryGet(name, out var added) && added == module)
            {
                _modules.Remove(module);
                _subscriptions.Rebuild(_modules, Options.NodeName);
            }
            module?.Unload();
            foreach (var table in created) _database.DropTable(table);
            if (retained != null) _retained[name] = retained;
            _authorities.Release(name);
            if (creationLogged) LogTablesDropped(name);
            throw;
        }
        if (!restoring) _scheduler.Arm();
        return module.Info;
    }

    /// <summary>
    /// After a load undone once the log had its tables' creation but not its row: logs their
    /// drop, as a start does for tables without a row, so that the log says what memory holds.
    /// On a faulted node nothing more is written; a restart drops them then.
    /// </summary>
    private void LogTablesDropped(string name)
    {
        try
        {
            _executor.LogEvent((id, timestamp) => new ModuleRemovedRecord(id, timestamp, name));
        }
        catch (NodeFaultedException)
        {
            // The load's own fault is the one to report.
        }
    }

    /// <summary>
    /// Records a module in <c>interstice.modules</c> as kept, then takes it out of service
    /// (<see cref="Detach"/>) once that transaction stands (<see cref="Executor.Stands"/>: the
    /// log acknowledged it, or, while the log works, accepted it): a fault refusing it leaves the
    /// module loaded, in memory as after a restart. Refused while a loaded module depends on it.
    /// </summary>
    private void Unload(LoadedModule module)
    {
        ThrowIfDependedOn(module);
        RecordThenApply(CommitKind.ModuleUnloaded, module.Name, transaction =>
            _moduleTable.Write(transaction, new ModuleTable.Entry(module.Name, module.Schema.Version, module.ContentHash, Loaded: false)),
            () => Detach(module));
    }

    /// <summary>
    /// Runs a module operation's node transaction (<paramref name="write"/>) and waits for its
    /// record, then makes the operation's change in memory (<paramref name="apply"/>) once the
    /// transaction stands (<see cref="Executor.Stands"/>), also when a fault is thrown then
    /// (a commit sink failed after the log had it). A fault before that (a faulted node, a log
    /// that refuses the record or fails before acknowledging it) changes nothing: memory stays
    /// as a restart has it.
    /// </summary>
    private void RecordThenApply(CommitKind kind, string module, Action<Transactions.Transaction> write, Action apply)
    {
        LogTicket? logged = null;
        try
        {
            _executor.RunNodeTransaction(kind, module, write, out logged);
            logged?.Wait();
        }
        catch when (_executor.Stands(logged))
        {
            apply();
            throw;
        }
        apply();
    }

    /// <summary>
    /// Drops what the node keeps of a removed module: takes it out of service when it is loaded
    /// (<paramref name="loaded"/>), forgets its kept tables and drops them.
    /// </summary>
    private void Forget(string name, LoadedModule? loaded)
    {
        if (loaded != null) Detach(loaded);
        _retained.TryRemove(name, out _);
        _database.DropModule(name);
    }

    /// <summary>
    /// Takes a module out of service, recording nothing: its instances are released, its
    /// authorities given back, its tables kept.
    /// </summary>
    private void Detach(LoadedModule module)
    {
        _modules.Remove(module);
        _subscriptions.Rebuild(_modules, Options.NodeName);
        _authorities.Release(module.Name);
        module.Unload();
        _retained[module.Name] = module.Tables;
    }

    /// <summary>Throws when a loaded module depends on <paramref name="module"/>: it cannot be unloaded or removed.</summary>
    private void ThrowIfDependedOn(LoadedModule module)
    {
        var dependents = new List<string>();
        foreach (var other in _modules.All)
        {
            if (other == module) continue;
            foreach (var dependency in other.Schema.Dependencies)
            {
                if (dependency.Module == module.Name && (dependency.Node is null || dependency.Node == Options.NodeName))
                {
                    dependents.Add(other.Name);
                    break;
                }
            }
        }
        if (dependents.Count > 0)
            throw new InvalidOperationException($"module {module.Name} is used by {string.Join(", ", dependents)}: unload {(dependents.Count == 1 ? "it" : "them")} first");
    }

    /// <summary>Finds a client-callable reducer or query; throws <see cref="CallFailedException"/> saying why not.</summary>
    private (LoadedModule Module, FunctionBinding Function) Resolve(string module, string name, bool query)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (!_modules.TryGet(module, out var target))
            throw new CallFailedException(module, name, CallFailure.NoSuchModule, $"no module `{module}` is loaded on this node");
        if (!target.IsPublic)
            throw new CallFailedException(module, name, CallFailure.PermissionDenied, $"module `{module}` is private: only modules on this node can call it");
        var function = query ? target.FindQuery(name) : target.FindReducer(name);
        if (function is null)
            throw new CallFailedException(module, name, CallFailure.NoSuchFunction, $"module `{module}` has no {(query ? "query" : "reducer")} `{name}`");
        if (function.IsHandler)
            throw new CallFailedException(module, name, CallFailure.NoSuchFunction, $"reducer `{name}` handles a subscription: only the node calls it");
        return (target, function);
    }

    private TableBinding ResolveTable(string module, string table)
    {
        if (!_modules.TryGet(module, out var owner)) throw new KeyNotFoundException($"no module `{module}` is loaded on this node");
        if (!owner.IsPublic) throw new UnauthorizedAccessException($"module `{module}` is private: its tables are reachable only from modules on this node");
        return owner.FindTable(table) ?? throw new KeyNotFoundException($"module `{module}` has no table `{table}`");
    }

    private static void Validate(LoadedModule module, FunctionBinding function, ReadOnlySpan<byte> arguments)
    {
        try
        {
            function.ArgsValidator.Validate(arguments);
        }
        catch (AbiDecodeException e)
        {
            throw new CallFailedException(module.Name, function.Name, CallFailure.InvalidArguments, $"the arguments do not decode as {function.ArgsType}: {e.Message}");
        }
    }

    private static byte[] Encode(LoadedModule module, FunctionBinding function, AbiValue[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            return ValueCodec.Encode(function.ArgsType, new TupleValue(arguments), module.Schema.TypeTable);
        }
        catch (ArgumentException e)
        {
            throw new CallFailedException(module.Name, function.Name, CallFailure.InvalidArguments, $"the arguments do not fit {function.ArgsType}: {e.Message}");
        }
    }

    private static byte[] ParseArguments(LoadedModule module, FunctionBinding function, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var types = module.Schema.TypeTable;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            AbiValue value;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var values = new AbiValue[function.Args.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    var argument = function.Args[i];
                    if (!root.TryGetProperty(argument.Name, out var element)) throw new FormatException($"argument `{argument.Name}` is missing");
                    values[i] = ValueJson.Read(element, argument.Type, types);
                }
                foreach (var property in root.EnumerateObject())
                {
                    if (!function.Args.Any(a => a.Name == property.Name)) throw new FormatException($"there is no argument `{property.Name}`");
                }
                value = new TupleValue(values);
            }
            else
            {
                value = ValueJson.Read(root, function.ArgsType, types);
            }
            return ValueCodec.Encode(function.ArgsType, value, types);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw new CallFailedException(module.Name, function.Name, CallFailure.InvalidArguments,
                $"the arguments are not ({string.Join(", ", function.Args.Select(a => $"{a.Name}: {a.Type}"))}) in JSON: {e.Message}");
        }
    }

    private byte[] Query(LoadedModule module, FunctionBinding function, ReadOnlySpan<byte> arguments)
    {
        GuestInstance guest;
        try
        {
            guest = module.RentQueryInstance();
        }
        catch (WasmException e)
        {
            throw new CallFailedException(module.Name, function.Name, CallFailure.Trapped, $"the module cannot be instantiated: {e.Message}");
        }
        var scope = RentQueryScope();
        CallOutcome outcome;
        LogTicket durable;
        try
        {
            using var transaction = _database.BeginReadOnly();
            durable = _executor.DurableTicket();
            long now = Clock.UnixMicroseconds(Options.TimeProvider);
            scope.Begin(transaction, readOnly: true, now, TransactionRandom.Seed(0, now), Options.CallDeadline);
            try
            {
                long fuel = Options.FuelPerCall;
                outcome = scope.Settle(guest.Call(scope, function, arguments, ref fuel));
            }
            finally
            {
                scope.End();
            }
        }
        finally
        {
            module.ReturnQueryInstance(guest);
            lock (_queryScopes) _queryScopes.Push(scope);
        }
        durable.Wait();
        if (!outcome.Succeeded) throw outcome.ToException(module.Name, function.Name);
        return outcome.Result!;
    }

    private CallScope RentQueryScope()
    {
        lock (_queryScopes)
        {
            if (_queryScopes.TryPop(out var scope)) return scope;
        }
        var created = new CallScope();
        _watchdog.Register(created);
        return created;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
