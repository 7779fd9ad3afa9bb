namespace Interstice.Bench.Support;

/// <summary>Which time a suite reports.</summary>
internal enum Clock
{
    /// <summary>Elapsed real time.</summary>
    Wall,
    /// <summary>CPU time of the process (user + system, every thread).</summary>
    Cpu,
}
