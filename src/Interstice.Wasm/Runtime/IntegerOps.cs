using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Integer division and remainder with WebAssembly's traps, checked explicitly rather than left
/// to the processor: divide by zero traps, <c>INT_MIN / -1</c> traps, <c>INT_MIN % -1</c> is 0.
/// Inlined into generated code; only the trap paths are calls.
/// </summary>
internal static class IntegerOps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DivS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        if (b == -1)
        {
            if (a == int.MinValue) Traps.Throw(TrapKind.IntegerOverflow);
            return -a;
        }
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DivU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RemS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RemU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DivS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        if (b == -1)
        {
            if (a == long.MinValue) Traps.Throw(TrapKind.IntegerOverflow);
            return -a;
        }
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DivU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long RemS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long RemU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapKind.IntegerDivideByZero);
        return (long)((ulong)a % (ulong)b);
    }
}
