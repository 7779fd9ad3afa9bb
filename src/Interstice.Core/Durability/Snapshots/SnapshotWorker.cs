namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// The thread that writes a node's snapshots: started with the store, parked between
/// snapshots. The executor hands a snapshot over while commits wait, so handing over must cost
/// microseconds; starting a thread there (a long-running task per snapshot) held commits for
/// about 0.5 ms, and for several under load, at every snapshot.
/// </summary>
internal sealed class SnapshotWorker : IDisposable
{
    private readonly Thread _thread;
    private readonly object _lock = new();
    private (Action Job, TaskCompletionSource Done)? _next;
    private bool _stopping;

    public SnapshotWorker()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Interstice snapshot writer" };
        _thread.Start();
    }

    /// <summary>True on the worker's thread (inside a job).</summary>
    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Runs <paramref name="job"/> on the worker's thread; the task completes, or faults, with
    /// it. One job at a time: the caller waits for the previous one's task first.
    /// </summary>
    public Task Start(Action job)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_next != null) throw new InvalidOperationException("the previous snapshot has not been taken up yet");
            _next = (job, done);
            Monitor.Pulse(_lock);
        }
        return done.Task;
    }

    private void Run()
    {
        while (true)
        {
            (Action Job, TaskCompletionSource Done) work;
            lock (_lock)
            {
                while (_next == null && !_stopping) Monitor.Wait(_lock);
                if (_next is not { } next) return;
                work = next;
                _next = null;
            }
            try
            {
                work.Job();
                work.Done.SetResult();
            }
            catch (Exception e)
            {
                work.Done.SetException(e);
            }
        }
    }

    /// <summary>Lets a job already handed over finish, then ends the thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.Pulse(_lock);
        }
        _thread.Join();
    }
}
