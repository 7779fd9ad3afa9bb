using System.Diagnostics;

namespace Interstice.Bench.Support;

/// <summary>
/// The timing method every suite shares (and bench/node/kernels.mjs mirrors): warm-up runs, then
/// timed runs, each measured in wall-clock time and in CPU time of the whole process, summarised
/// by their medians. On a loaded machine CPU time is the steadier of the two.
/// </summary>
internal static class Timing
{
    /// <summary>The timed runs of one measurement, in milliseconds.</summary>
    public sealed record Runs(double[] WallMs, double[] CpuMs)
    {
        public double Median(Clock clock) => Timing.Median(clock == Clock.Cpu ? CpuMs : WallMs);
    }

    /// <summary>Runs <paramref name="action"/> once and records its times as run <paramref name="index"/> of <paramref name="runs"/>.</summary>
    public static void MeasureOnce(Action action, Runs runs, int index)
    {
        double cpuStart = ProcessCpuTime.Milliseconds();
        long start = Stopwatch.GetTimestamp();
        action();
        runs.WallMs[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        runs.CpuMs[index] = ProcessCpuTime.Milliseconds() - cpuStart;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

