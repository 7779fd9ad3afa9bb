namespace Interstice.Core.Tests.Durability.Support;

/// <summary>Waits for another thread to reach a point the test can only observe (a count, a state), polling every millisecond.</summary>
internal static class Wait
{
    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes, and says whether it held.</summary>
    public static bool For(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="failure"/> when it does not within <paramref name="timeout"/>.</summary>
    public static void Until(Func<bool> condition, TimeSpan timeout, string failure)
    {
        if (!For(condition, timeout)) Assert.Fail(failure);
    }
}
