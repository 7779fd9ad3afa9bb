using System.Diagnostics;

namespace Interstice.Bench.Storage;

/// <summary>Stopwatch timing: the best of several runs, in nanoseconds per operation.</summary>
internal static class Measure
{
    public static double NanosecondsPerOperation(int operations, Action run, int repeats = 5)
    {
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            run();
            stopwatch.Stop();
            best = Math.Min(best, stopwatch.Elapsed.TotalNanoseconds / operations);
        }
        return best;
    }

    /// <summary>Bytes allocated per operation on this thread by <paramref name="run"/>.</summary>
    public static double BytesPerOperation(int operations, Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / operations;
    }
}
