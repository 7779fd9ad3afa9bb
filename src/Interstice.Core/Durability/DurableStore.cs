using System.Diagnostics;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;

namespace Interstice.Core.Durability;

/// <summary>
/// A node's durability: the <see cref="CommitLog"/> and the snapshots that bound recovery time.
/// The executor's commit path, one transaction at a time:
/// <code>
/// var ticket = store.Log.AppendTransaction(id, timestamp, inputs, changes);
/// database.Apply(changes);
/// store.SnapshotIfDue(database);   // between transactions: cheap unless a snapshot is due
/// ... then, outside the executor, the caller: ticket.Wait() or await ticket.WaitAsync()
/// </code>
/// A snapshot is due every <see cref="DurabilityOptions.SnapshotEveryRecords"/> records or
/// <see cref="DurabilityOptions.SnapshotEveryBytes"/> bytes of log. Taking one freezes each
/// table's primary-key B+tree under a read-only transaction (O(1) per table: the snapshot shares
/// the nodes, which commits then clone before changing them); a background thread then reads
/// the rows as they were at the cut (the frozen trees hold exactly those rows) into the snapshot, releases the frozen trees, waits until the log is fsynced
/// through its last transaction (so a snapshot never holds a transaction the log could lose),
/// publishes it atomically and applies retention. One snapshot is written at a time.
/// The store holds the data directory's <see cref="DataDirectoryLock"/> until it is disposed:
/// a second store (or node) on the same directory is refused with <see cref="DataDirectoryInUseException"/>.
/// </summary>
public sealed class DurableStore : IDisposable
{
    private readonly DurabilityOptions _options;
    private readonly DataDirectory _directory;
    private long _recordsAtLastSnapshot;
    private long _bytesAtLastSnapshot;
    private Task? _snapshot;
    private readonly SnapshotWorker _worker;
    private ulong _lastSnapshotTransactionId;
    private readonly DataDirectoryLock _lock;

    private DurableStore(DurabilityOptions options, DataDirectoryLock held, CommitLog log)
    {
        _options = options;
        _lock = held;
        _directory = new DataDirectory(options.DataDirectory);
        Log = log;
        var snapshots = _directory.ListSnapshots();
        _lastSnapshotTransactionId = snapshots.Count > 0 ? snapshots[^1].LastTransactionId : 0;
        // Last: nothing after it can fail and leave its thread behind.
        _worker = new SnapshotWorker();
    }

    /// <summary>
    /// What a node does on a start: takes the data directory's lock, recovers the state into
    /// <paramref name="database"/> (<see cref="LogRecovery.Recover"/>) and opens the store after
    /// it, holding the lock throughout (released when the store is disposed, or at once when
    /// recovery or opening fails).
    /// </summary>
    /// <param name="options">The data directory and durability settings.</param>
    /// <param name="database">An empty database to recover into.</param>
    /// <param name="handler">Creates and drops tables for the node events.</param>
    /// <param name="recovered">What recovery found.</param>
    /// <exception cref="DataDirectoryInUseException">Another store or node holds the data directory.</exception>
    public static DurableStore RecoverAndOpen(DurabilityOptions options, Database database, IRecoveryHandler handler, out RecoveryResult recovered)
    {
        ArgumentNullException.ThrowIfNull(options);
        var held = DataDirectoryLock.Acquire(new DataDirectory(options.DataDirectory));
        try
        {
            recovered = LogRecovery.RecoverLocked(options, database, handler);
        }
        catch
        {
            held.Dispose();
            throw;
        }
        return OpenLocked(options, recovered, held);
    }

    /// <summary>
    /// Opens the log for appending after <paramref name="recovered"/> (the result of
    /// <see cref="LogRecovery.Recover"/>), at the end recovery found when the last segment is
    /// still as recovery left it (else the log reads it again to find its end).
    /// Internal, for tests: the lock is released between recovery and this call, so another
    /// node could get in between; <see cref="RecoverAndOpen"/> holds it throughout.
    /// </summary>
    /// <param name="options">The data directory and durability settings recovery used.</param>
    /// <param name="recovered">What recovery found.</param>
    /// <exception cref="DataDirectoryInUseException">Another store or node holds the data directory.</exception>
    internal static DurableStore Open(DurabilityOptions options, RecoveryResult recovered)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OpenLocked(options, recovered, DataDirectoryLock.Acquire(new DataDirectory(options.DataDirectory)));
    }

    /// <summary>
    /// <see cref="Open"/> with the data directory's lock <paramref name="held"/>, taken before
    /// recovery: the store releases it when disposed, or at once when opening fails.
    /// </summary>
    private static DurableStore OpenLocked(DurabilityOptions options, RecoveryResult recovered, DataDirectoryLock held)
    {
        CommitLog? log = null;
        try
        {
            ArgumentNullException.ThrowIfNull(recovered);
            log = CommitLog.Open(options, recovered.LastTransactionId, recovered.Catalog, recovered.LastTimestamp, recovered.LogEnd);
            return new DurableStore(options, held, log);
        }
        catch
        {
            try
            {
                log?.Dispose();
            }
            finally
            {
                held.Dispose();
            }
            throw;
        }
    }

    public CommitLog Log { get; }

    /// <summary>The snapshot being written, if any (completes when it is published, faults if it failed).</summary>
    public Task? SnapshotInProgress => _snapshot is { IsCompleted: false } running ? running : null;

    /// <summary>The last snapshot started, finished or not (null before the first).</summary>
    internal Task? LastSnapshot => _snapshot;

    /// <summary>
    /// True on the thread that writes snapshots, where the <see cref="DurabilityOptions.SnapshotWritten"/>
    /// and <see cref="DurabilityOptions.Warning"/> callbacks of a snapshot run: taking a snapshot or
    /// closing the store there would wait for itself.
    /// </summary>
    public bool OnSnapshotThread => _worker.IsCurrentThread;

    /// <summary>
    /// Takes a snapshot when one is due and none is being written. Call on the executor
    /// between transactions: after applying the last appended transaction, before appending the
    /// next, so that the database holds exactly the log's effects. Returns the snapshot's task, or
    /// null. Never throws: the transaction before it is committed whatever becomes of the
    /// snapshot, so a snapshot that cannot start is a warning, and the next one due tries again.
    /// </summary>
    public Task? SnapshotIfDue(Database database)
    {
        long records = Log.RecordsAppended - _recordsAtLastSnapshot;
        long bytes = Log.BytesAppended - _bytesAtLastSnapshot;
        bool due = (_options.SnapshotEveryRecords > 0 && records >= _options.SnapshotEveryRecords)
            || (_options.SnapshotEveryBytes > 0 && bytes >= _options.SnapshotEveryBytes);
        if (!due || SnapshotInProgress != null) return null;
        try
        {
            return TakeSnapshot(database);
        }
        catch (Exception e)
        {
            _options.Warn($"a due snapshot could not be started: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Takes a snapshot now (same calling rule as <see cref="SnapshotIfDue"/>); waits for one
    /// being written first (whose failure, already reported as a warning, does not stop this
    /// one). The task completes once the snapshot is published and retention applied, and faults
    /// if it failed. Nothing is written when the last snapshot already holds the log's last transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a snapshot's callback (<see cref="OnSnapshotThread"/>).</exception>
    /// <exception cref="CommitLogFailedException">The commit log has failed: no snapshot is taken.</exception>
    public Task TakeSnapshot(Database database)
    {
        ArgumentNullException.ThrowIfNull(database);
        ThrowIfOnSnapshotThread("take a snapshot");
        // Memory may hold transactions the failed log never wrote, or lack a load it undid: a
        // snapshot labelled with the log's last transaction could make either durable. The
        // guarantee is the writer's Log.Flush before publishing (it throws once the log failed);
        // this refusal only spares writing a snapshot that could never be published.
        if (Log.Failure is { } failure)
            throw new CommitLogFailedException($"no snapshot is taken: the commit log failed, so memory may not match it: {failure.Message}", failure);
        long start = Stopwatch.GetTimestamp();
        WaitForSnapshot();
        ulong last = Log.LastTransactionId;
        _recordsAtLastSnapshot = Log.RecordsAppended;
        _bytesAtLastSnapshot = Log.BytesAppended;
        if (last == Volatile.Read(ref _lastSnapshotTransactionId)) return Task.CompletedTask;
        long timestamp = Log.LastTimestamp;
        var cut = SnapshotCut.Capture(database, last, Log.Catalog, timestamp);
        _lastSnapshotTransactionId = last;
        var held = Stopwatch.GetElapsedTime(start);
        Task task;
        try
        {
            task = _worker.Start(() => Write(cut, held));
        }
        catch
        {
            cut.Release();
            _lastSnapshotTransactionId = 0;
            throw;
        }
        _snapshot = task;
        return task;
    }

    /// <summary>Waits for the snapshot being written, then closes the log (writing and fsyncing what is pending) and releases the data directory.</summary>
    /// <exception cref="InvalidOperationException">Called from a snapshot's callback (<see cref="OnSnapshotThread"/>).</exception>
    public void Dispose()
    {
        ThrowIfOnSnapshotThread("close the store");
        if (Log.OnWriterThread) throw new InvalidOperationException("cannot close the store from the commit log's Warning callback: it runs on the log's writer thread, which closing waits for");
        WaitForSnapshot();
        _worker.Dispose();
        try
        {
            Log.Dispose();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    /// <summary>Waits for the snapshot being written, if any; its failure was reported as a warning when it happened.</summary>
    internal void WaitForSnapshot()
    {
        try
        {
            _snapshot?.Wait();
        }
        catch (AggregateException)
        {
            // Reported as a warning by the snapshot itself.
        }
    }

    private void ThrowIfOnSnapshotThread(string what)
    {
        if (OnSnapshotThread) throw new InvalidOperationException($"cannot {what} from a snapshot's callback (SnapshotWritten, Warning): it runs on the snapshot's thread, which would wait for itself");
    }


    /// <summary>On the worker: writes and publishes the cut, applies retention, reports; <paramref name="held"/> is how long commits waited for the cut.</summary>
    private void Write(SnapshotCut cut, TimeSpan held)
    {
        long start = Stopwatch.GetTimestamp();
        string path = _directory.SnapshotPath(cut.LastTransactionId);
        long rows = 0;
        foreach (var table in cut.Tables) rows += table.Count;
        try
        {
            _options.Hooks?.BeforeSnapshotWrite(cut.LastTransactionId);
            SnapshotWriter.Write(cut, path, beforePublish: Log.Flush);
            Retention.Apply(_directory, _options, cut.LastTransactionId);
        }
        catch (Exception e)
        {
            // Let the next request try again for the same transaction.
            Interlocked.CompareExchange(ref _lastSnapshotTransactionId, 0, cut.LastTransactionId);
            _options.Warn($"snapshot of transaction {cut.LastTransactionId} failed: {e.Message}");
            throw;
        }
        finally
        {
            // The writer released it once the rows were read; this covers a failure before that.
            cut.Release();
        }
        var report = new SnapshotReport(cut.LastTransactionId, path, rows, new FileInfo(path).Length, held, Stopwatch.GetElapsedTime(start));
        try
        {
            _options.SnapshotWritten?.Invoke(report);
        }
        catch (Exception e)
        {
            // The snapshot is published; a failing observer does not make it a failed snapshot.
            _options.Warn($"snapshot of transaction {cut.LastTransactionId}: the SnapshotWritten callback failed: {e.Message}");
        }
    }
}
