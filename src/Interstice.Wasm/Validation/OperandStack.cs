using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Validation;

/// <summary>
/// The validator's operand stack of value types (spec appendix, validation algorithm). Holds
/// <see cref="Unknown"/> for operands of unreachable code. Grows as needed and is reused across
/// functions, so validation does not allocate per instruction.
/// </summary>
internal sealed class OperandStack
{
    /// <summary>The type of an operand whose type is not known (pushed by stack-polymorphic code); matches every type.</summary>
    public const ValueType Unknown = 0;

    private ValueType[] _items = new ValueType[64];

    public int Count { get; private set; }

    /// <summary>The highest <see cref="Count"/> since the last <see cref="Reset"/>.</summary>
    public int MaxCount { get; private set; }

    public ValueType this[int index] => _items[index];

    public void Reset()
    {
        Count = 0;
        MaxCount = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(ValueType type)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = type;
        if (Count > MaxCount) MaxCount = Count;
    }

    /// <summary>Removes and returns the top operand; the caller has checked that there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueType PopUnchecked() => _items[--Count];

    /// <summary>Drops every operand above <paramref name="height"/>.</summary>
    public void Truncate(int height) => Count = height;
}
