namespace Interstice.Core.Execution;

/// <summary>
/// The random stream of a transaction (docs/abi.md section 9.6): SplitMix64 from a seed the node
/// derives from the transaction and records with it, so replaying the log draws the same values.
/// </summary>
internal static class TransactionRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>Advances <paramref name="state"/> and returns the next value.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>The seed of transaction number <paramref name="sequence"/> committed at <paramref name="timestamp"/>.</summary>
    public static ulong Seed(long sequence, long timestamp) => Mix(Mix((ulong)sequence * Gamma) ^ (ulong)timestamp);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
