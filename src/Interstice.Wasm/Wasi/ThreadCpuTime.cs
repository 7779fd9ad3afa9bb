using System.Runtime.InteropServices;

namespace Interstice.Wasm.Wasi;

/// <summary>The calling thread's CPU time: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> on Linux, the process's elsewhere.</summary>
internal static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static long ResolutionNanoseconds => OperatingSystem.IsLinux() ? 1 : 1_000;

    public static long Nanoseconds()
    {
        if (OperatingSystem.IsLinux())
        {
            var time = default(TimeSpec);
            if (clock_gettime(ClockThreadCpuTimeId, ref time) == 0) return time.Seconds * 1_000_000_000 + time.Nanoseconds;
        }
        return Environment.CpuUsage.TotalTime.Ticks * 100;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, ref TimeSpec time);
}
