using Interstice.Core.Transactions;

namespace Interstice.Core.Storage;

/// <summary>
/// The tables of a node, grouped by module, and the discipline that keeps them consistent:
/// <list type="bullet">
/// <item><b>One writer.</b> At most one write transaction is open at a time
/// (<see cref="BeginTransaction"/>). Its commit yields a <see cref="ChangeSet"/>, which must be
/// applied with <see cref="Apply"/> before the next write transaction begins; nothing else
/// changes committed state, so the writer reads it without locking.</item>
/// <item><b>Many readers.</b> Read-only transactions (<see cref="BeginReadOnly"/>, for queries
/// and snapshots) run concurrently with each other and with the write transaction; each
/// holds a shared gate from begin to dispose, so keep them short.</item>
/// <item><b>Atomic apply.</b> <see cref="Apply"/>, <see cref="CreateTable"/> and the drops
/// take the gate exclusively, waiting for open readers; new readers wait behind a waiting
/// writer. A reader therefore sees every change of a commit or none. A thread holding a
/// read-only transaction must not apply (it would wait for itself; it throws instead).</item>
/// </list>
/// Replay and snapshot loading apply change sets built by <see cref="ChangeSetBuilder"/>
/// through the same <see cref="Apply"/>.
/// </summary>
public sealed partial class Database
{
    private readonly ReadWriteGate _gate = new();
    private readonly WriteSession _session = new();
    /// <summary>A <see cref="WriterState"/>; moved only by compare-and-swap, so the writer's path takes no lock.</summary>
    private int _writerState;
    private ChangeSet? _pending;
    private Table[] _tables = [];
    private IReadOnlyList<Table> _tableList = Array.AsReadOnly(Array.Empty<Table>());
    private int _lastTableId;

    private enum WriterState
    {
        Idle,
        InTransaction,
        AwaitingApply,
        /// <summary>Applying a change set, or creating or dropping tables.</summary>
        Busy,
    }

    /// <summary>Every live table, in creation order (the order snapshots list them in).</summary>
    public IReadOnlyList<Table> Tables => Volatile.Read(ref _tableList);

    public bool TryGetTable(string module, string name, out Table table)
    {
        foreach (var candidate in Volatile.Read(ref _tables))
        {
            if (candidate.Module == module && candidate.Name == name)
            {
                table = candidate;
                return true;
            }
        }
        table = null!;
        return false;
    }

    /// <summary>Creates an empty table owned by <paramref name="module"/>. No write transaction may be open.</summary>
    public Table CreateTable(string module, TableDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        ArgumentNullException.ThrowIfNull(definition);
        EnterBusy(WriterState.Idle, "create a table");
        try
        {
            if (TryGetTable(module, definition.Name, out _)) throw new ArgumentException($"table {module}.{definition.Name} already exists", nameof(definition));
            var table = new Table(this, ++_lastTableId, module, definition);
            _gate.EnterWrite();
            try
            {
                Publish([.. _tables, table]);
            }
            finally
            {
                _gate.ExitWrite();
            }
            return table;
        }
        finally
        {
            Volatile.Write(ref _writerState, (int)WriterState.Idle);
        }
    }

    /// <summary>Drops <paramref name="table"/> and its rows. No write transaction may be open.</summary>
    public void DropTable(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        DropWhere(t => t == table, "drop a table");
    }

    /// <summary>Drops every table of <paramref name="module"/> (module unload); returns how many.</summary>
    public int DropModule(string module) => DropWhere(t => t.Module == module, "drop a module's tables");

    /// <summary>
    /// Starts the write transaction. Throws when one is open, or when the last one's change set
    /// has not been applied yet.
    /// </summary>
    public Transaction BeginTransaction()
    {
        var state = (WriterState)Interlocked.CompareExchange(ref _writerState, (int)WriterState.InTransaction, (int)WriterState.Idle);
        return state switch
        {
            WriterState.Idle => new Transaction(this, _session, readerThread: 0),
            WriterState.AwaitingApply => throw new InvalidOperationException("the last committed change set has not been applied: call Apply before beginning the next write transaction"),
            WriterState.InTransaction => throw new InvalidOperationException("a write transaction is already open: there is one writer at a time"),
            _ => throw new InvalidOperationException("a change set is being applied or tables are being created or dropped"),
        };
    }

    /// <summary>
    /// Starts a read-only transaction over committed state (for a query or a snapshot). It
    /// blocks commits until disposed. Writes through it throw <see cref="ReadOnlyTransactionException"/>.
    /// </summary>
    public Transaction BeginReadOnly() => new(this, null, _gate.EnterRead());

    /// <summary>
    /// Makes <paramref name="changes"/> the committed state, atomically for readers. A change
    /// set from <see cref="Transaction.Commit"/> must be the last one committed and cannot fail
    /// to apply; one from a <see cref="ChangeSetBuilder"/> (replay) may be applied while no write
    /// transaction is open, and is refused before any change if it inserts a key that exists or
    /// updates or deletes one that does not. An empty change set is a no-op.
    /// </summary>
    public void Apply(ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var state = (WriterState)Volatile.Read(ref _writerState);
        if (changes.IsEmpty && state != WriterState.AwaitingApply) return;
        if (changes.Applied) throw new InvalidOperationException("this change set was already applied");
        if (state == WriterState.AwaitingApply)
        {
            if (!ReferenceEquals(changes, _pending)) throw new InvalidOperationException("another change set was committed and must be applied first");
            EnterBusy(WriterState.AwaitingApply, "apply a change set");
        }
        else
        {
            EnterBusy(WriterState.Idle, "apply a change set");
        }
        var after = WriterState.Idle;
        try
        {
            if (!changes.FromTransaction) Validate(changes);
            _gate.EnterWrite();
            try
            {
                ApplyCommitted(changes);
            }
            finally
            {
                _gate.ExitWrite();
            }
            changes.Applied = true;
            _pending = null;
        }
        catch
        {
            // Refused before any change (validation, or a reader on this thread): as it was.
            if (_pending != null) after = WriterState.AwaitingApply;
            throw;
        }
        finally
        {
            Volatile.Write(ref _writerState, (int)after);
        }
    }

    internal void OnCommitted(ChangeSet changes)
    {
        if (changes.IsEmpty)
        {
            changes.Applied = true;
            Volatile.Write(ref _writerState, (int)WriterState.Idle);
        }
        else
        {
            _pending = changes;
            Volatile.Write(ref _writerState, (int)WriterState.AwaitingApply);
        }
    }

    /// <summary>
    /// Drops the committed change set awaiting <see cref="Apply"/> without applying it: the
    /// commit log refused it, so the transaction never happened, and the writer may go on.
    /// </summary>
    internal void Discard(ChangeSet changes)
    {
        if (!ReferenceEquals(changes, _pending)) throw new InvalidOperationException("only the change set awaiting Apply can be discarded");
        _pending = null;
        Volatile.Write(ref _writerState, (int)WriterState.Idle);
    }

    internal void OnRolledBack() => Volatile.Write(ref _writerState, (int)WriterState.Idle);

    internal void ExitRead(int readerThread) => _gate.ExitRead(readerThread);

    /// <summary>
    /// Removals first (deletes, keys that updates move away from), then additions, so that
    /// the intermediate state never holds two rows under one unique key.
    /// </summary>
    private static void ApplyCommitted(ChangeSet changes)
    {
        var rows = changes.Rows;
        foreach (ref readonly var change in rows)
        {
            if (change.Kind == RowChangeKind.Delete) change.Table.ApplyDelete(change.PrimaryKeyBytes);
            else if (change.Kind == RowChangeKind.Update) change.Table.ApplyUpdateRemovals(change.PrimaryKeyBytes, change.NewRowBytes!);
        }
        foreach (ref readonly var change in rows)
        {
            if (change.Kind == RowChangeKind.Insert) change.Table.ApplyInsert(StoredKey.Adopt(change.PrimaryKeyBytes), change.NewRowBytes!);
            else if (change.Kind == RowChangeKind.Update) change.Table.ApplyUpdateAdditions(StoredKey.Adopt(change.PrimaryKeyBytes), change.NewRowBytes!);
        }
        foreach (ref readonly var sequence in changes.Sequences)
        {
            sequence.Table.NextSequence = sequence.NextValue;
        }
    }

    private void Validate(ChangeSet changes)
    {
        foreach (ref readonly var change in changes.Rows)
        {
            var table = CheckOwned(change.Table);
            bool exists = table.Find(change.PrimaryKeyBytes) != null;
            if (change.Kind == RowChangeKind.Insert ? exists : !exists)
            {
                string key = KeyFormatter.Format(table.Definition.PrimaryKeyType, change.PrimaryKeyBytes);
                throw new InvalidOperationException(change.Kind == RowChangeKind.Insert
                    ? $"cannot apply the change set: it inserts into {table} a row with {table.Definition.PrimaryKeyColumn} = {key}, which exists"
                    : $"cannot apply the change set: it {(change.Kind == RowChangeKind.Update ? "updates" : "deletes")} a row of {table} with {table.Definition.PrimaryKeyColumn} = {key}, which does not exist");
            }
        }
        foreach (ref readonly var sequence in changes.Sequences) CheckOwned(sequence.Table);
    }

    private Table CheckOwned(Table table)
    {
        if (table.Database != this) throw new ArgumentException($"table {table} belongs to another database");
        if (table.IsDropped) throw new InvalidOperationException($"table {table} was dropped");
        return table;
    }

    private int DropWhere(Func<Table, bool> match, string what)
    {
        EnterBusy(WriterState.Idle, what);
        try
        {
            var kept = new List<Table>();
            var dropped = new List<Table>();
            foreach (var table in _tables) (match(table) ? dropped : kept).Add(table);
            if (dropped.Count == 0) return 0;
            _gate.EnterWrite();
            try
            {
                foreach (var table in dropped) table.IsDropped = true;
                Publish(kept.ToArray());
            }
            finally
            {
                _gate.ExitWrite();
            }
            return dropped.Count;
        }
        finally
        {
            Volatile.Write(ref _writerState, (int)WriterState.Idle);
        }
    }

    /// <summary>Replaces the table list; readers see the old list or the new one, never a mix.</summary>
    private void Publish(Table[] tables)
    {
        Volatile.Write(ref _tables, tables);
        Volatile.Write(ref _tableList, Array.AsReadOnly(tables));
    }

    /// <summary>Moves the writer from <paramref name="expected"/> to busy, or throws saying why it cannot.</summary>
    private void EnterBusy(WriterState expected, string what)
    {
        var state = (WriterState)Interlocked.CompareExchange(ref _writerState, (int)WriterState.Busy, (int)expected);
        if (state == expected) return;
        throw new InvalidOperationException(state switch
        {
            WriterState.InTransaction => $"cannot {what} while a write transaction is open",
            WriterState.AwaitingApply => $"cannot {what} while a committed change set awaits Apply",
            WriterState.Busy => $"cannot {what} while another change set is being applied or tables are being created or dropped",
            _ => $"cannot {what} now",
        });
    }
}
