using System.Diagnostics;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Records;
using Interstice.Core.Transactions;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// The commit log's writer: an append-only, segmented file of records, one per committed
/// transaction or node event, made durable by one background writer thread with group commit.
/// <para>
/// <b>How the node uses it.</b> The executor appends each committed transaction in commit order
/// (<see cref="AppendTransaction"/>: the record is encoded straight into the log's buffer, in
/// about the time it takes to copy its rows) and moves on: it applies the change set to memory
/// and runs the next transaction. The caller of the transaction waits on the returned
/// <see cref="LogTicket"/>, which the writer completes once the record is as durable as the
/// policy promises. Meanwhile the writer takes everything appended since its last write, writes
/// it with one call and, under <see cref="DurabilityPolicy.Sync"/>, covers it with one fsync;
/// records appended during that fsync go in the next batch. So concurrent commits share
/// fsyncs, and a crash loses at most a suffix of the log, never a record in the middle.
/// </para>
/// <para>
/// Appends are serialized by a lock (the executor appends one at a time anyway); waits may come
/// from any thread. Transaction ids must increase strictly from record to record.
/// </para>
/// </summary>
public sealed class CommitLog : IDisposable
{
    private readonly DurabilityOptions _options;
    private readonly DataDirectory _directory;
    private readonly LogFileHooks? _hooks;
    private readonly TransactionEncoder _encoder = new();
    private readonly NodeCatalog _catalog;
    private readonly Thread _writer;
    private readonly long _intervalTicks;
    /// <summary>The data directory's lock when this log took it itself (opened on its own, not by a store); released on Dispose.</summary>
    private DataDirectoryLock? _ownedLock;

    // Appending side, guarded by _lock (the writer thread takes it to swap batches).
    private readonly object _lock = new();
    private LogBatch _active = new();
    private LogBatch? _spare = new();
    private ulong _lastTransactionId;
    private long _lastTimestamp;
    private long _appended;
    /// <summary>The length the current segment will have once pending records are written; 0 when there is no segment yet.</summary>
    private long _segmentLength;
    private bool _segmentHasRecords;
    private bool _writerIdle;
    private int _roomWaiters;
    private long _syncRequested;
    private bool _closing;
    private long _bytesAppended;

    // Writer thread's own state.
    private SegmentAppender? _segment;
    private long _lastSyncTimestamp;
    private long _written;

    // Acknowledgement, published by the writer under _ackLock.
    private readonly object _ackLock = new();
    private long _acknowledged;
    private long _durable;
    private int _flushWaiters;
    private readonly List<BlockedWaiter> _blockedWaiters = [];
    private readonly List<AckWaiter> _asyncWaiters = [];
    /// <summary>The writer's scratch list of blocked waiters to wake, woken outside <c>_ackLock</c>.</summary>
    private readonly List<BlockedWaiter> _toRelease = [];
    private readonly Stack<AckWaiter> _waiterPool = new();
    private CommitLogFailedException? _failure;
    private bool _disposed;

    private CommitLog(DurabilityOptions options, DataDirectory directory, ulong lastTransactionId, NodeCatalog catalog, long lastTimestamp,
        SegmentAppender? segment, bool segmentHasRecords)
    {
        _lastTimestamp = lastTimestamp;
        _options = options;
        _directory = directory;
        _hooks = options.Hooks;
        _catalog = catalog;
        _lastTransactionId = lastTransactionId;
        _segment = segment;
        _segmentLength = segment?.Length ?? 0;
        _segmentHasRecords = segmentHasRecords;
        _intervalTicks = (long)(options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        _lastSyncTimestamp = Stopwatch.GetTimestamp();
        _writer = new Thread(RunWriter) { IsBackground = true, Name = "Interstice commit log writer" };
        _writer.Start();
    }

    /// <summary>
    /// Opens the log in <paramref name="options"/>' data directory for appending, after the last
    /// valid record. A torn tail (a record cut short by a crash) is cut away into <c>quarantine/</c> with a warning;
    /// an empty last segment is removed. Recovery (<see cref="Recovery.LogRecovery"/>) normally
    /// runs first and supplies <paramref name="lastTransactionId"/> and <paramref name="catalog"/>.
    /// When <paramref name="lastTransactionId"/> is past the log's last record (a snapshot holds
    /// records the log lost), the next record starts a new segment whose header records
    /// <paramref name="lastTransactionId"/> as its predecessor.
    /// </summary>
    /// <param name="options">Where and how to log.</param>
    /// <param name="lastTransactionId">The last transaction id known to the node (the log's own last record if larger).</param>
    /// <param name="catalog">The node events in effect (from recovery); the log keeps it up to date for snapshots.</param>
    /// <param name="lastTimestamp">The timestamp of the last transaction known to the node.</param>
    /// <remarks>The log takes the data directory's lock (<see cref="DataDirectoryLock"/>) before it
    /// reads or cuts anything and holds it until disposed, as a node's store does.</remarks>
    /// <exception cref="DataDirectoryInUseException">A node or another log holds the data directory.</exception>
    public static CommitLog Open(DurabilityOptions options, ulong lastTransactionId = 0, NodeCatalog? catalog = null, long lastTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        var held = DataDirectoryLock.Acquire(new DataDirectory(options.DataDirectory));
        try
        {
            var log = Open(options, lastTransactionId, catalog, lastTimestamp, knownEnd: null);
            log._ownedLock = held;
            return log;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the log as <see cref="Open(DurabilityOptions, ulong, NodeCatalog?, long)"/> does, at
    /// <paramref name="knownEnd"/> (the end recovery found, its torn tail already cut away) when it
    /// still describes the last segment on disk; otherwise the last segment is read to find its end.
    /// The caller (the store) holds the data directory's lock.
    /// </summary>
    internal static CommitLog Open(DurabilityOptions options, ulong lastTransactionId, NodeCatalog? catalog, long lastTimestamp, LogEnd? knownEnd)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        catalog ??= new NodeCatalog();
        var directory = new DataDirectory(options.DataDirectory);
        Directory.CreateDirectory(directory.LogDirectory);
        var segments = directory.ListSegments();
        var end = knownEnd is { } known && known.Describes(segments) ? known : FindEnd(segments, options);
        if (end is not { } found) return new CommitLog(options, directory, lastTransactionId, catalog, lastTimestamp, null, false);
        ulong last = Math.Max(lastTransactionId, found.LastTransactionId);
        if (!found.HasRecords)
        {
            File.Delete(found.SegmentPath);
            FileSync.Directory(directory.LogDirectory);
            return new CommitLog(options, directory, last, catalog, lastTimestamp, null, false);
        }
        if (lastTransactionId > found.LastTransactionId)
        {
            // The node is past the log's end (a snapshot holds what the log lost): the next record
            // starts a new segment chained to lastTransactionId, so the gap is explicit in the
            // segment chain instead of hidden between two records of one segment.
            return new CommitLog(options, directory, last, catalog, lastTimestamp, null, false);
        }
        var appender = SegmentAppender.Open(found.SegmentPath, found.Length, options.Hooks);
        return new CommitLog(options, directory, last, catalog, lastTimestamp, appender, true);
    }

    /// <summary>
    /// Reads the last segment to find where the log ends, cutting a torn tail away with a
    /// warning; a segment torn within its header is moved to <c>quarantine/</c> and the one before it read instead.
    /// Null when no segment is left.
    /// </summary>
    private static LogEnd? FindEnd(IReadOnlyList<SegmentFile> segments, DurabilityOptions options)
    {
        for (int last = segments.Count - 1; last >= 0; last--)
        {
            using var cursor = new LogCursor([segments[last]]);
            while (cursor.MoveNext(out _)) { }
            if (cursor.Torn is { } tail)
            {
                options.Warn(tail.CutAway(new DataDirectory(options.DataDirectory)));
            }
            if (cursor.End is { } end) return end;
        }
        return null;
    }

    /// <summary>The id of the last record appended (or the last known when none was appended yet).</summary>
    public ulong LastTransactionId
    {
        get
        {
            lock (_lock) return _lastTransactionId;
        }
    }

    /// <summary>The timestamp of the last record appended (or the last known when none was appended yet).</summary>
    public long LastTimestamp
    {
        get
        {
            lock (_lock) return _lastTimestamp;
        }
    }

    /// <summary>Why the log stopped accepting records (a write or fsync failed), or null while it works.</summary>
    internal CommitLogFailedException? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// The ticket of the last record appended (already acknowledged when none was): waiting on it
    /// waits until every record appended so far is as durable as the policy promises.
    /// </summary>
    public LogTicket LastTicket => new(this, Volatile.Read(ref _appended));

    /// <summary>Records appended since the log was opened.</summary>
    public long RecordsAppended => Volatile.Read(ref _appended);

    /// <summary>Bytes of records appended since the log was opened.</summary>
    public long BytesAppended => Volatile.Read(ref _bytesAppended);

    /// <summary>
    /// Appends a committed transaction: its inputs (opaque to the log) and its change set,
    /// leaving out the changes of ephemeral tables. Call in commit order, before applying the
    /// change set (a snapshot being written relies on seeing each change before it is
    /// applied); the change set is only read.
    /// </summary>
    /// <param name="transactionId">Greater than every id appended before.</param>
    /// <param name="timestamp">The transaction's timestamp, in microseconds since the Unix epoch.</param>
    /// <param name="inputs">What the node needs to know about the call (reducer, caller, arguments...).</param>
    /// <param name="changes">The transaction's change set.</param>
    public LogTicket AppendTransaction(ulong transactionId, long timestamp, ReadOnlySpan<byte> inputs, ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            BeginAppend(transactionId);
            int size = _encoder.Measure(inputs, changes);
            var before = MarkAppend();
            try
            {
                Reserve(transactionId, size, out var frame);
                _encoder.Write(frame, transactionId, timestamp, inputs, changes);
            }
            catch
            {
                UndoAppend(before);
                throw;
            }
            return EndAppend(transactionId, timestamp, size);
        }
    }

    /// <summary>Appends a node event (module loaded or unloaded, table created or dropped) and applies it to the log's catalog.</summary>
    public LogTicket AppendEvent(NodeEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            BeginAppend(record.TransactionId);
            int size = NodeEventEncoder.Measure(record);
            var before = MarkAppend();
            try
            {
                Reserve(record.TransactionId, size, out var frame);
                NodeEventEncoder.Write(frame, record);
            }
            catch
            {
                UndoAppend(before);
                throw;
            }
            _catalog.Apply(record);
            return EndAppend(record.TransactionId, record.Timestamp, size);
        }
    }

    /// <summary>A copy of the node events in effect, as of the last append.</summary>
    public NodeCatalog Catalog
    {
        get
        {
            lock (_lock) return _catalog.Clone();
        }
    }

    /// <summary>
    /// Blocks until every record appended so far is fsynced, whatever the policy (for a clean
    /// shutdown, or before publishing a snapshot that contains them).
    /// </summary>
    public void Flush()
    {
        long target;
        lock (_lock)
        {
            ThrowIfUnusable();
            target = _appended;
            if (target == 0) return;
            RequestSync(target);
        }
        lock (_ackLock)
        {
            _flushWaiters++;
            try
            {
                while (_durable < target && _failure == null) Monitor.Wait(_ackLock);
            }
            finally
            {
                _flushWaiters--;
            }
            if (_durable < target) throw _failure!;
        }
    }

    /// <summary>
    /// Writes and fsyncs what is pending, then closes the files. Tickets not yet acknowledged are
    /// acknowledged first.
    /// </summary>
    /// <exception cref="CommitLogFailedException">The log failed while closing (that last write or
    /// fsync), or failed before and left records acknowledged on write (policies
    /// <see cref="DurabilityPolicy.Interval"/> and <see cref="DurabilityPolicy.None"/>) without an
    /// fsync: they may not survive a crash of the machine. (A failure under
    /// <see cref="DurabilityPolicy.Sync"/> before closing reached every waiter then and is not thrown again.)</exception>
    /// <exception cref="InvalidOperationException">Called on the log's writer thread (from the
    /// <see cref="DurabilityOptions.Warning"/> callback of a failure), which closing waits for.</exception>
    public void Dispose()
    {
        if (OnWriterThread) throw new InvalidOperationException("the commit log cannot be closed from its writer thread (the Warning callback of a failure runs there): closing waits for that thread");
        CommitLogFailedException? before;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _closing = true;
            before = _failure;
            Monitor.PulseAll(_lock);
        }
        try
        {
            _writer.Join();
            _segment?.Dispose();
            _segment = null;
        }
        finally
        {
            _ownedLock?.Dispose();
        }
        if (Volatile.Read(ref _failure) is { } failure && (before == null || Volatile.Read(ref _acknowledged) > _durable)) throw failure;
    }

    /// <summary>True on the log's writer thread, where the <see cref="DurabilityOptions.Warning"/> callback of a failure runs.</summary>
    internal bool OnWriterThread => Thread.CurrentThread == _writer;

    internal bool IsAcknowledged(long sequence) => Volatile.Read(ref _acknowledged) >= sequence;

    /// <summary>True when a record is acknowledged once written (no fsync awaited): microseconds after its append.</summary>
    internal bool AcknowledgesOnWrite => _options.Policy != DurabilityPolicy.Sync;

    internal void Wait(long sequence)
    {
        if (Volatile.Read(ref _acknowledged) >= sequence) return;
        if (_options.Policy != DurabilityPolicy.Sync)
        {
            // Acknowledged on write: microseconds away, cheaper to spin for than to sleep. Only
            // busy spins: yielding the processor on a loaded machine can cost a whole time slice.
            var spinner = new SpinWait();
            while (!spinner.NextSpinWillYield)
            {
                spinner.SpinOnce();
                if (Volatile.Read(ref _acknowledged) >= sequence) return;
            }
        }
        var waiter = BlockedWaiter.ForCurrentThread();
        waiter.Prepare();
        ReleaseWhenAcknowledged(waiter, sequence);
        waiter.Block();
        if (Volatile.Read(ref _acknowledged) < sequence) throw Volatile.Read(ref _failure)!;
    }

    /// <summary>
    /// Releases <paramref name="waiter"/> (armed with <see cref="BlockedWaiter.Prepare"/>) once
    /// record <paramref name="sequence"/> is acknowledged or the log fails: now if that is
    /// already so, else from the writer thread.
    /// </summary>
    internal void ReleaseWhenAcknowledged(BlockedWaiter waiter, long sequence)
    {
        lock (_ackLock)
        {
            if (_acknowledged < sequence && _failure == null)
            {
                waiter.Sequence = sequence;
                _blockedWaiters.Add(waiter);
                return;
            }
        }
        waiter.Release();
    }

    internal ValueTask WaitAsync(long sequence)
    {
        if (Volatile.Read(ref _acknowledged) >= sequence) return ValueTask.CompletedTask;
        lock (_ackLock)
        {
            if (_acknowledged >= sequence) return ValueTask.CompletedTask;
            if (_failure != null) return ValueTask.FromException(_failure);
            var waiter = _waiterPool.Count > 0 ? _waiterPool.Pop() : new AckWaiter(ReturnWaiter);
            waiter.Sequence = sequence;
            _asyncWaiters.Add(waiter);
            return new ValueTask(waiter, waiter.Version);
        }
    }

    private void ReturnWaiter(AckWaiter waiter)
    {
        lock (_ackLock) _waiterPool.Push(waiter);
    }

    private void BeginAppend(ulong transactionId)
    {
        ThrowIfUnusable();
        if (transactionId <= _lastTransactionId)
        {
            throw new ArgumentOutOfRangeException(nameof(transactionId), transactionId,
                $"transaction ids must increase: the log's last is {_lastTransactionId}");
        }
        while (_active.Length >= _options.MaxPendingBytes && !_closing && _failure == null)
        {
            _roomWaiters++;
            try
            {
                Monitor.Wait(_lock);
            }
            finally
            {
                _roomWaiters--;
            }
        }
        ThrowIfUnusable();
    }

    /// <summary>Where appending stands before a record (under <c>_lock</c>), for <see cref="UndoAppend"/>.</summary>
    private AppendMark MarkAppend() => new(_active.Length, _active.SegmentStarts.Count, _segmentLength, _segmentHasRecords);

    /// <summary>
    /// Puts appending back where <paramref name="mark"/> found it when a record fails to encode:
    /// its bytes go, and so does the segment start it made (a segment is named and chained for
    /// its first record, so the next record that succeeds must start it).
    /// </summary>
    private void UndoAppend(AppendMark mark)
    {
        _active.Length = mark.Length;
        _active.SegmentStarts.RemoveRange(mark.SegmentStarts, _active.SegmentStarts.Count - mark.SegmentStarts);
        _segmentLength = mark.SegmentLength;
        _segmentHasRecords = mark.SegmentHasRecords;
    }

    /// <summary>Reserves the frame of the next record, starting a new segment first when this one is full.</summary>
    private void Reserve(ulong transactionId, int size, out Span<byte> frame)
    {
        if (_segmentLength == 0 || (_segmentHasRecords && _segmentLength + size > _options.SegmentSize))
        {
            _active.SegmentStarts.Add(new SegmentStart(_active.Length, new SegmentHeader(transactionId, _lastTransactionId)));
            _segmentLength = LogFormat.SegmentHeaderSize;
            _segmentHasRecords = false;
        }
        frame = _active.Reserve(size);
    }

    /// <summary>The appending state a failed append restores (<see cref="MarkAppend"/>).</summary>
    private readonly record struct AppendMark(int Length, int SegmentStarts, long SegmentLength, bool SegmentHasRecords);

    private LogTicket EndAppend(ulong transactionId, long timestamp, int size)
    {
        _lastTimestamp = timestamp;
        _segmentLength += size;
        _segmentHasRecords = true;
        _lastTransactionId = transactionId;
        long sequence = _appended + 1;
        Volatile.Write(ref _appended, sequence);
        _active.LastTicket = sequence;
        Volatile.Write(ref _bytesAppended, _bytesAppended + size);
        if (_writerIdle)
        {
            _writerIdle = false;
            Monitor.PulseAll(_lock);
        }
        return new LogTicket(this, sequence);
    }

    /// <summary>Asks the writer to fsync through <paramref name="sequence"/> whatever the policy (under <c>_lock</c>).</summary>
    private void RequestSync(long sequence)
    {
        if (sequence <= _syncRequested) return;
        _syncRequested = sequence;
        if (_writerIdle)
        {
            _writerIdle = false;
            Monitor.PulseAll(_lock);
        }
    }

    private void ThrowIfUnusable()
    {
        if (_failure != null) throw _failure;
        ObjectDisposedException.ThrowIf(_closing, this);
    }

    // The writer thread.

    private void RunWriter()
    {
        try
        {
            while (true)
            {
                LogBatch batch;
                bool closing;
                long syncRequested;
                SpinForRecords();
                lock (_lock)
                {
                    while (_active.IsEmpty && !_closing && _syncRequested <= _durable && !SyncDue())
                    {
                        _writerIdle = true;
                        if (_options.Policy == DurabilityPolicy.Interval && _written > _durable)
                        {
                            long remaining = _lastSyncTimestamp + _intervalTicks - Stopwatch.GetTimestamp();
                            if (remaining > 0) Monitor.Wait(_lock, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
                        }
                        else
                        {
                            Monitor.Wait(_lock);
                        }
                    }
                    _writerIdle = false;
                    batch = _active;
                    _active = _spare!;
                    _spare = null;
                    closing = _closing;
                    syncRequested = _syncRequested;
                    if (_roomWaiters > 0) Monitor.PulseAll(_lock);
                }

                if (!batch.IsEmpty) Write(batch);
                long written = batch.IsEmpty ? _written : batch.LastTicket;
                _written = written;
                bool sync = _options.Policy == DurabilityPolicy.Sync || closing || syncRequested > _durable || SyncDue();
                if (_options.Policy != DurabilityPolicy.Sync) Publish(written, _durable);
                if (sync && written > _durable)
                {
                    _segment?.Sync();
                    _lastSyncTimestamp = Stopwatch.GetTimestamp();
                    Publish(written, written);
                }
                else if (sync)
                {
                    _lastSyncTimestamp = Stopwatch.GetTimestamp();
                }

                batch.Reset();
                lock (_lock)
                {
                    _spare = batch;
                    if (closing && _active.IsEmpty) return;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>
    /// When acknowledging on write, a caller waits only for the writer thread to wake up; a
    /// short spin for the next record before sleeping saves that wake-up when commits come back
    /// to back. (Under <see cref="DurabilityPolicy.Sync"/> the fsync dwarfs it.) Busy spins
    /// only, never a yield: on a loaded machine a yield can cost a whole time slice.
    /// </summary>
    private void SpinForRecords()
    {
        if (_options.Policy == DurabilityPolicy.Sync) return;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _appended) == _written && !spinner.NextSpinWillYield) spinner.SpinOnce();
    }

    /// <summary>Under <see cref="DurabilityPolicy.Interval"/>: written records have waited a whole interval for an fsync.</summary>
    private bool SyncDue() =>
        _options.Policy == DurabilityPolicy.Interval && _written > _durable && Stopwatch.GetTimestamp() - _lastSyncTimestamp >= _intervalTicks;

    private void Write(LogBatch batch)
    {
        int position = 0;
        foreach (var start in batch.SegmentStarts)
        {
            if (start.Offset > position) _segment!.Append(batch.Buffer.AsSpan(position, start.Offset - position));
            StartSegment(start.Header);
            position = start.Offset;
        }
        _segment!.Append(batch.Buffer.AsSpan(position, batch.Length - position));
    }

    /// <summary>Seals the current segment (fsync, whatever the policy) and starts the next one.</summary>
    private void StartSegment(SegmentHeader header)
    {
        if (_segment != null)
        {
            _segment.Sync();
            _segment.Dispose();
            _segment = null;
        }
        _segment = SegmentAppender.Create(_directory.SegmentPath(header.FirstTransactionId), header, _hooks);
        FileSync.Directory(_directory.LogDirectory);
    }

    private void Publish(long acknowledged, long durable)
    {
        lock (_ackLock)
        {
            if (durable > _durable) _durable = durable;
            if (_options.Policy == DurabilityPolicy.Sync) acknowledged = _durable;
            if (acknowledged > _acknowledged) Volatile.Write(ref _acknowledged, acknowledged);
            if (_flushWaiters > 0) Monitor.PulseAll(_ackLock);
            for (int i = _blockedWaiters.Count - 1; i >= 0; i--)
            {
                var waiter = _blockedWaiters[i];
                if (waiter.Sequence > _acknowledged) continue;
                _blockedWaiters[i] = _blockedWaiters[^1];
                _blockedWaiters.RemoveAt(_blockedWaiters.Count - 1);
                _toRelease.Add(waiter);
            }
            for (int i = _asyncWaiters.Count - 1; i >= 0; i--)
            {
                var waiter = _asyncWaiters[i];
                if (waiter.Sequence > _acknowledged) continue;
                _asyncWaiters[i] = _asyncWaiters[^1];
                _asyncWaiters.RemoveAt(_asyncWaiters.Count - 1);
                waiter.Complete();
            }
        }
        foreach (var waiter in _toRelease) waiter.Release();
        _toRelease.Clear();
    }

    private void Fail(Exception error)
    {
        var failure = new CommitLogFailedException(
            $"the commit log in {_directory.LogDirectory} failed to write or sync ({error.Message}); it accepts no more records", error);
        lock (_lock)
        {
            _failure = failure;
            Monitor.PulseAll(_lock);
        }
        lock (_ackLock)
        {
            _failure = failure;
            Monitor.PulseAll(_ackLock);
            foreach (var waiter in _asyncWaiters) waiter.Fail(failure);
            _asyncWaiters.Clear();
            foreach (var waiter in _blockedWaiters) waiter.Release();
            _blockedWaiters.Clear();
        }
        _options.Warn(failure.Message);
    }
}
