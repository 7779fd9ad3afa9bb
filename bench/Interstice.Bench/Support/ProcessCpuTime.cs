using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Interstice.Bench.Support;

/// <summary>
/// CPU time used by the whole process so far. On Linux through
/// <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c> (nanoseconds, like Node's microsecond
/// <c>process.cpuUsage</c>), since <see cref="Process.TotalProcessorTime"/> counts in 10 ms ticks there.
/// </summary>
internal static partial class ProcessCpuTime
{
    private const int ClockProcessCpuTimeId = 2;

    public static double Milliseconds()
    {
        if (OperatingSystem.IsLinux())
        {
            var time = default(TimeSpec);
            if (clock_gettime(ClockProcessCpuTimeId, ref time) == 0) return time.Seconds * 1e3 + time.Nanoseconds / 1e6;
        }
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clock, ref TimeSpec time);
}
