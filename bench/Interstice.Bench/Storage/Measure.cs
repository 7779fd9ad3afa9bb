using System.Diagnostics;

namespace Interstice.Bench.Storage;

/// <summary>Stopwatch timing, with the garbage collector's share reported beside it.</summary>
internal static class Measure
{
    /// <summary>The best of several runs, in nanoseconds per operation, and the GC pause share of that run.</summary>
    public static Result Best(int operations, Action run, int repeats = 5)
    {
        var best = new Result(double.MaxValue, 0);
        for (int i = 0; i < repeats; i++)
        {
            var result = Once(operations, run);
            if (result.Nanoseconds < best.Nanoseconds) best = result;
        }
        return best;
    }

    public static Result Once(int operations, Action run)
    {
        var pausedBefore = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        run();
        stopwatch.Stop();
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        return new Result(stopwatch.Elapsed.TotalNanoseconds / operations, paused.TotalNanoseconds / operations);
    }

    /// <summary>Bytes allocated per operation on this thread by <paramref name="run"/>.</summary>
    public static double BytesPerOperation(int operations, Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / operations;
    }

    /// <param name="Nanoseconds">Elapsed time per operation.</param>
    /// <param name="GcPauseNanoseconds">Of which the runtime was paused for garbage collection.</param>
    public readonly record struct Result(double Nanoseconds, double GcPauseNanoseconds)
    {
        public override string ToString() => GcPauseNanoseconds >= 0.05 * Nanoseconds
            ? $"{Nanoseconds:F0} ns (GC {GcPauseNanoseconds:F0})"
            : $"{Nanoseconds:F0} ns";
    }
}
