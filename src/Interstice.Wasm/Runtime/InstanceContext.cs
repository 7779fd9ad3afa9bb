using System.Runtime.CompilerServices;
using Interstice.Wasm.Compilation;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// The state of one instance as compiled code sees it, passed to every compiled function. Each
/// module gets a generated subclass that adds its globals as plain fields (shared cells for
/// imported and exported ones) and its imported functions as typed delegate fields.
/// </summary>
internal abstract class InstanceContext
{
    /// <summary>
    /// The lowest stack address compiled code may reach on the current thread (set at every entry
    /// from the host), with <see cref="InterruptMarker"/> added while an interrupt is pending, so
    /// that the stack check at function entry also catches interrupts.
    /// </summary>
    internal nuint StackLimit;

    /// <summary>
    /// The top bit, set in <see cref="StackLimit"/> while an interrupt is pending: it makes every
    /// stack check fail. Other threads set and clear just this bit (atomically), so withdrawing an
    /// interrupt never writes back a limit that belongs to another call or thread; a failed stack
    /// check that finds it set is an interrupt, so the check's slow path always traps.
    /// </summary>
    internal static nuint InterruptMarker => (nuint)1 << 63;

    /// <summary>Sets <see cref="InterruptMarker"/> in <see cref="StackLimit"/> (from any thread).</summary>
    internal void SetInterruptMarker() =>
        Interlocked.Or(ref Unsafe.As<nuint, ulong>(ref StackLimit), (ulong)InterruptMarker);

    /// <summary>Clears <see cref="InterruptMarker"/> from <see cref="StackLimit"/> (from any thread), leaving the limit itself as it is.</summary>
    internal void ClearInterruptMarker() =>
        Interlocked.And(ref Unsafe.As<nuint, ulong>(ref StackLimit), ~(ulong)InterruptMarker);

    /// <summary>
    /// Calls left before the call depth limit, as of the last call that left compiled code: compiled
    /// functions pass the depth to each other as an argument and store it here only before calls
    /// through delegates (imports, tables), where stubs and host entries read it.
    /// </summary>
    internal int DepthLeft;

    /// <summary>
    /// Fuel left (when the engine consumes fuel). Compiled code keeps it in a local, passes it to
    /// the functions it calls as an argument, and writes it back before calls through delegates, on
    /// return and before a trap.
    /// </summary>
    internal long Fuel;

    /// <summary>Non-zero when another thread asked the running call to stop. Read with volatile semantics at loop headers.</summary>
    internal volatile int InterruptRequested;

    /// <summary>Memory 0, or null when the module has none.</summary>
    internal Memory? Memory;

    /// <summary>Table 0 (the one <c>call_indirect</c> uses most), or null.</summary>
    internal Table? Table0;

    internal Table[] Tables = [];

    /// <summary>Funcref objects by function index: imports, and defined functions that can be referenced. Null for the others.</summary>
    internal Function?[] Functions = [];

    /// <summary>Global cells by global index for imported and exported globals; null for the module's private globals (fields of the subclass).</summary>
    internal Global?[] Globals = [];

    /// <summary>Data segments by index; dropped (and active, once applied) segments are empty.</summary>
    internal ReadOnlyMemory<byte>[] DataSegments = [];

    /// <summary>Element segments by index, resolved to references; dropped ones are empty.</summary>
    internal object?[][] ElementSegments = [];

    /// <summary>What host functions called by this instance receive as their caller.</summary>
    internal Caller Caller = null!;

    internal Instance Instance = null!;

    internal CompiledModule Module = null!;

    internal int MaxCallDepth;

    /// <summary>Calls into this instance (from the host or another instance) that have not returned yet.</summary>
    internal int ActiveCalls;

    internal bool Disposed;
}
