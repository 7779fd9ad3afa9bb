using Interstice.Wasm.Wasi;

namespace Interstice.Wasm.Tests.Wasi;

/// <summary>Deterministic clocks: fixed times that only a sleep advances, and a record of the sleeps.</summary>
internal sealed class ManualClocks : WasiClocks
{
    private long _monotonic = 5_000_000_000;

    public List<long> Sleeps { get; } = [];

    public override long Now(WasiClock clock) => clock switch
    {
        WasiClock.Realtime => 1_700_000_000_123_456_789 + _monotonic - 5_000_000_000,
        WasiClock.Monotonic => _monotonic,
        _ => 0,
    };

    public override long Resolution(WasiClock clock) => 1000;

    public override void Sleep(long nanoseconds, CancellationToken cancellation)
    {
        Sleeps.Add(nanoseconds);
        _monotonic += nanoseconds;
    }
}
