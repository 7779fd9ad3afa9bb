namespace Interstice.Core.Tests.Support;

/// <summary>A clock that moves only when told to, so that transaction times and due schedules are exact.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (this) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (this) _now += by;
    }

    /// <summary>The current time as the ABI gives it: microseconds since the Unix epoch.</summary>
    public long Micros => (GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
}
