using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Table instructions: <c>call_indirect</c>'s lookup (inlined into generated code) and the
/// <c>table.*</c> and <c>elem.drop</c> instructions. Bounds are checked before anything is written.
/// </summary>
internal static class TableOps
{
    /// <summary>The function at <paramref name="index"/>, checked: in bounds, not null, of the expected signature.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Function FunctionForCall(int index, object?[] elements, int signatureId)
    {
        if ((uint)index >= (uint)elements.Length) Traps.Throw(TrapKind.UndefinedElement);
        var function = Unsafe.As<Function?>(elements[index]);
        if (function is null) Traps.Throw(TrapKind.UninitializedElement);
        if (function.SignatureId != signatureId) Traps.Throw(TrapKind.IndirectCallTypeMismatch);
        return function;
    }

    public static object? Get(int index, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) Traps.ThrowTableOutOfBounds((uint)index, 1, (uint)elements.Length);
        return elements[index];
    }

    public static void Set(int index, object? value, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) Traps.ThrowTableOutOfBounds((uint)index, 1, (uint)elements.Length);
        elements[index] = value;
    }

    public static int Size(Table table) => table.Elements.Length;

    public static int Grow(object? initialValue, int delta, Table table) => table.GrowCore((uint)delta, initialValue);

    public static void Fill(int index, object? value, int count, Table table)
    {
        var elements = table.Elements;
        CheckRange(elements, (uint)index, (uint)count);
        elements.AsSpan((int)(uint)index, (int)(uint)count).Fill(value);
    }

    public static void Copy(int destination, int source, int count, Table destinationTable, Table sourceTable)
    {
        var to = destinationTable.Elements;
        var from = sourceTable.Elements;
        CheckRange(from, (uint)source, (uint)count);
        CheckRange(to, (uint)destination, (uint)count);
        from.AsSpan((int)(uint)source, (int)(uint)count).CopyTo(to.AsSpan((int)(uint)destination));
    }

    public static void Init(int destination, int source, int count, int segmentIndex, Table table, InstanceContext context)
    {
        var segment = context.ElementSegments[segmentIndex];
        var elements = table.Elements;
        if ((ulong)(uint)source + (uint)count > (ulong)segment.Length)
            Traps.ThrowTableOutOfBounds((uint)source, (uint)count, (ulong)segment.Length);
        CheckRange(elements, (uint)destination, (uint)count);
        segment.AsSpan((int)(uint)source, (int)(uint)count).CopyTo(elements.AsSpan((int)(uint)destination));
    }

    public static void DropElements(int segmentIndex, InstanceContext context) => context.ElementSegments[segmentIndex] = [];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange(object?[] elements, uint index, uint count)
    {
        if ((ulong)index + count > (ulong)elements.Length) Traps.ThrowTableOutOfBounds(index, count, (ulong)elements.Length);
    }
}
