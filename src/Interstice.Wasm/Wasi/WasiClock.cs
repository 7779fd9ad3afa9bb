namespace Interstice.Wasm.Wasi;

/// <summary>The clocks of WASI preview1 (<c>clockid</c>), with the same numbers.</summary>
public enum WasiClock
{
    /// <summary>Wall-clock time: nanoseconds since 1970-01-01 UTC.</summary>
    Realtime = 0,
    /// <summary>A clock that never goes back, from an arbitrary origin.</summary>
    Monotonic = 1,
    /// <summary>CPU time used by the process.</summary>
    ProcessCpuTime = 2,
    /// <summary>CPU time used by the calling thread.</summary>
    ThreadCpuTime = 3,
}
