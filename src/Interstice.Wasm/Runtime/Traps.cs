using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Creates and throws traps. Generated code calls the <c>Create*</c> methods and throws the result
/// itself (<c>call; throw</c>), which tells the JIT that the path is cold; the runtime helpers call
/// the <c>Throw*</c> methods. None is inlined, so trap paths stay out of hot code.
/// </summary>
internal static unsafe class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException Create(TrapKind kind) => new(kind);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException CreateMemoryOutOfBounds(ulong address, int size, InstanceContext context) =>
        new(TrapKind.MemoryOutOfBounds, detail: $"access of {size} bytes at address {address}, memory size {context.Memory?.Size ?? 0}");

    /// <summary>
    /// A stack check failed (at function entry, or before a call to a function with a big frame
    /// of <paramref name="reserve"/> bytes): an interrupt is pending, or the thread's stack is
    /// nearly exhausted. Returns the trap to throw, or null when only a stale interrupt marker
    /// (left by an interrupt withdrawn before it was consumed) failed the check and the stack is
    /// fine: the caller then carries on.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TrapException? CheckStackFailure(InstanceContext context, int reserve)
    {
        if (context.InterruptRequested != 0) return CreateInterrupted(context);
        if (context.StackLimit == nuint.MaxValue)
        {
            context.StackLimit = StackLimits.Current;
            byte probe = 0;
            // This frame is below the caller's, so the test is conservative.
            if ((nuint)(&probe) - (nuint)reserve >= context.StackLimit) return null;
        }
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
