namespace Interstice.Cli.Commands.Wasm.Run;

/// <summary>
/// Runs guest code on a dedicated thread with a large stack of known size, so that deep
/// recursion reaches the engine's call-depth limit (a trap) long before the stack ends, whatever
/// the size of the caller's own stack.
/// </summary>
internal static class GuestThread
{
    /// <summary>The stack size of the guest thread: address space reserved up front, committed as it is used.</summary>
    public const int StackBytes = 256 << 20;

    /// <summary>Runs <paramref name="body"/> to completion on the guest thread; rethrows nothing, returns what it threw, if anything.</summary>
    public static Exception? Run(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, StackBytes)
        {
            Name = "wasm guest",
        };
        thread.Start();
        thread.Join();
        return failure;
    }
}
