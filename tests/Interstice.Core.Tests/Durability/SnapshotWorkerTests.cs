using Interstice.Core.Durability.Snapshots;

namespace Interstice.Core.Tests.Durability;

/// <summary>The thread that writes a store's snapshots: one job at a time, each job's outcome in its task, nothing lost at dispose.</summary>
public class SnapshotWorkerTests
{
    [Fact]
    public async Task A_job_runs_on_the_workers_thread_and_a_failing_job_faults_only_its_own_task()
    {
        using var worker = new SnapshotWorker();
        bool onWorker = false;
        await worker.Start(() => onWorker = worker.IsCurrentThread);
        Assert.True(onWorker);
        Assert.False(worker.IsCurrentThread);

        var failing = worker.Start(() => throw new IOException("disk full"));
        Assert.Equal("disk full", (await Assert.ThrowsAsync<IOException>(() => failing)).Message);

        int ran = 0;
        await worker.Start(() => ran++);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task Dispose_lets_a_job_handed_over_finish_first()
    {
        var worker = new SnapshotWorker();
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        bool finished = false;
        var job = worker.Start(() =>
        {
            started.Set();
            release.Wait();
            finished = true;
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        var disposing = Task.Run(worker.Dispose);
        await Task.Delay(100);
        Assert.False(disposing.IsCompleted);
        release.Set();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(finished);
        Assert.True(job.IsCompletedSuccessfully);
        // Start refuses at once (it does not hand back a faulted task).
        Assert.Throws<ObjectDisposedException>(StartAnother);
        void StartAnother() => worker.Start(() => { });
    }
}
