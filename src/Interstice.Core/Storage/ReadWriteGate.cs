namespace Interstice.Core.Storage;

/// <summary>
/// Many readers or one writer, writers first: once a writer waits, new readers wait behind it,
/// so a stream of queries cannot starve commits. Unlike <see cref="ReaderWriterLockSlim"/> it
/// is not tied to threads: a reader may leave on another thread than the one it entered on
/// (it passes the entering thread's id back). A thread that already reads may read again even
/// while a writer waits (it would otherwise wait for itself), and a thread that reads may not
/// write: that would wait forever, so it throws instead.
/// </summary>
internal sealed class ReadWriteGate
{
    private readonly object _sync = new();
    private readonly Dictionary<int, int> _readsByThread = [];
    private int _readers;
    private int _waitingWriters;
    private bool _writing;

    /// <summary>Enters as a reader; returns the id to pass to <see cref="ExitRead"/>.</summary>
    public int EnterRead()
    {
        int thread = Environment.CurrentManagedThreadId;
        lock (_sync)
        {
            _readsByThread.TryGetValue(thread, out int held);
            while (_writing || (_waitingWriters > 0 && held == 0)) Monitor.Wait(_sync);
            _readers++;
            _readsByThread[thread] = held + 1;
        }
        return thread;
    }

    public void ExitRead(int thread)
    {
        lock (_sync)
        {
            _readers--;
            if (_readsByThread[thread] == 1) _readsByThread.Remove(thread);
            else _readsByThread[thread]--;
            if (_readers == 0 && _waitingWriters > 0) Monitor.PulseAll(_sync);
        }
    }

    public void EnterWrite()
    {
        lock (_sync)
        {
            if (_readsByThread.ContainsKey(Environment.CurrentManagedThreadId))
            {
                throw new InvalidOperationException(
                    "this thread holds a read-only transaction open; dispose it before applying changes or creating or dropping tables");
            }
            _waitingWriters++;
            try
            {
                while (_writing || _readers > 0) Monitor.Wait(_sync);
            }
            catch
            {
                // Interrupted: readers held back for this writer may go.
                _waitingWriters--;
                Monitor.PulseAll(_sync);
                throw;
            }
            _waitingWriters--;
            _writing = true;
        }
    }

    public void ExitWrite()
    {
        lock (_sync)
        {
            _writing = false;
            Monitor.PulseAll(_sync);
        }
    }
}
