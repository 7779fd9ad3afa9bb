using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// What happens when control enters an instance from outside it (from the host, or from another
/// instance through an import or a table) and when it leaves: the stack limit of the current
/// thread and the call-depth budget are set up, and restored on the way out, even after a trap.
/// Generated entry stubs call these around the compiled function, with <see cref="Exit"/> both
/// after the call and in a fault handler. Nothing catches traps on the way out: a catch-and-rethrow
/// at every entry would nest exception dispatch on the stack, one level per entry (backtraces are
/// worked out later, see <see cref="Backtraces"/>).
/// </summary>
internal static class HostEntry
{
    /// <summary>What <see cref="Exit"/> restores.</summary>
    internal readonly struct State(int depthLeft, nuint stackLimit)
    {
        public readonly int DepthLeft = depthLeft;
        public readonly nuint StackLimit = stackLimit;
    }

    /// <summary>Entry from the host.</summary>
    /// <remarks>Not inlined into generated code: in a collectible assembly the JIT reads thread statics through a helper call.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static State Enter(InstanceContext context)
    {
        if (context.Disposed) ThrowDisposed(context);
        var state = new State(context.DepthLeft, context.StackLimit);
        if (context.ActiveCalls++ == 0) context.DepthLeft = context.MaxCallDepth;
        context.StackLimit = StackLimits.Current;
        if (context.InterruptRequested != 0) context.StackLimit |= InstanceContext.InterruptMarker;
        return state;
    }

    /// <summary>
    /// Entry from another instance's code: the callee continues the caller's stack limit and call
    /// depth (whichever budget is smaller), so recursion through several instances stays bounded.
    /// </summary>
    public static State EnterFrom(InstanceContext context, InstanceContext? caller)
    {
        if (caller is null) return Enter(context);
        if (context.Disposed) ThrowDisposed(context);
        var state = new State(context.DepthLeft, context.StackLimit);
        int depth = context.ActiveCalls++ == 0 ? context.MaxCallDepth : context.DepthLeft;
        context.DepthLeft = Math.Min(depth, caller.DepthLeft);
        context.StackLimit = caller.StackLimit & ~InstanceContext.InterruptMarker;
        if (context.InterruptRequested != 0) context.StackLimit |= InstanceContext.InterruptMarker;
        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(InstanceContext context, State state)
    {
        context.DepthLeft = state.DepthLeft;
        // Restore the limit first, then look for an interrupt, as Enter does: an interrupt that sets
        // its flag and marker in between is seen, instead of its marker being overwritten.
        context.StackLimit = state.StackLimit & ~InstanceContext.InterruptMarker;
        if (context.InterruptRequested != 0) context.SetInterruptMarker();
        if (--context.ActiveCalls == 0 && context.Disposed) context.Instance.ReleaseResources();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed(InstanceContext context) =>
        throw new ObjectDisposedException(nameof(Instance), $"the instance of module {context.Module.DisplayName} was disposed");
}
