using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Creates and throws traps. Generated code calls the <c>Create*</c> methods and throws the result
/// itself (<c>call; throw</c>), which tells the JIT that the path is cold; the runtime helpers call
/// the <c>Throw*</c> methods. None is inlined, so trap paths stay out of hot code.
/// </summary>
internal static class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException Create(TrapKind kind) => new(kind);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateMemoryOutOfBounds(ulong address, int size, InstanceContext context) =>
        new(TrapKind.MemoryOutOfBounds, detail: $"access of {size} bytes at address {address}, memory size {context.Memory?.Size ?? 0}");

    /// <summary>
    /// A stack check failed (at function entry, or before a call to a function with a big frame):
    /// an interrupt is pending (its marker is in the limit), or the thread's stack is nearly
    /// exhausted. Always a trap, so that the JIT lays the check's slow path out of line: a slow path
    /// that could carry on (it once did, for a withdrawn interrupt's leftover marker) stayed inline
    /// and cost a taken branch on every call, about 15% of a call-bound kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateStackCheckFailed(InstanceContext context)
    {
        if (context.InterruptRequested != 0 || (context.StackLimit & InstanceContext.InterruptMarker) != 0) return CreateInterrupted(context);
        return new TrapException(TrapKind.CallStackExhausted, detail: "the thread's stack is exhausted");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateDepthExhausted(InstanceContext context) =>
        new(TrapKind.CallStackExhausted, detail: $"more than {context.MaxCallDepth} nested calls");

    /// <summary>Consumes the pending interrupt: the next call runs normally.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateInterrupted(InstanceContext context)
    {
        context.InterruptRequested = 0;
        context.StackLimit = StackLimits.Current;
        return new TrapException(TrapKind.Interrupted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateOutOfFuel(InstanceContext context)
    {
        context.Fuel = 0;
        return new TrapException(TrapKind.OutOfFuel);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(TrapKind kind) => throw new TrapException(kind);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowMemoryOutOfBounds(ulong address, ulong size, ulong memorySize) =>
        throw new TrapException(TrapKind.MemoryOutOfBounds, detail: $"access of {size} bytes at address {address}, memory size {memorySize}");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowTableOutOfBounds(ulong index, ulong count, ulong tableSize) =>
        throw new TrapException(TrapKind.TableOutOfBounds, detail: $"access of {count} elements at index {index}, table size {tableSize}");
}
