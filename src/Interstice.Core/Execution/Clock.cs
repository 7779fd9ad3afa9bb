namespace Interstice.Core.Execution;

/// <summary>Time as the ABI gives it (<c>time_now</c>): microseconds since the Unix epoch.</summary>
internal static class Clock
{
    public static long UnixMicroseconds(TimeProvider time) => (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / (TimeSpan.TicksPerMillisecond / 1000);
}
