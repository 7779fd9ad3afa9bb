namespace Interstice.Wasm.Runtime;

/// <summary>Arithmetic for the guards in front of the fast versions of loops (see <c>Compilation/Versioning</c>).</summary>
internal static class LoopGuards
{
    /// <summary>
    /// How many of <paramref name="iterations"/> fit when each may use up <paramref name="slope"/>
    /// of <paramref name="room"/>: none when the room is already negative, all when nothing is used.
    /// Called only when the guard's quick test failed, so the division is off the common path.
    /// </summary>
    public static int Fit(long room, long slope, int iterations)
    {
        if (room < 0) return 0;
        if (slope <= 0) return iterations;
        return (int)Math.Min(iterations, room / slope);
    }
}
