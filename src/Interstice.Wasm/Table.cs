namespace Interstice.Wasm;

/// <summary>
/// A table: a growable array of references (<see cref="Function"/> or null for <c>funcref</c>
/// tables, any object or null for <c>externref</c> tables), indexed by <c>call_indirect</c>,
/// <c>table.get</c> and friends.
/// </summary>
public sealed class Table
{
    // Read by generated code. The array is exactly the table's length; growing replaces it.
    internal object?[] Elements;

    /// <summary>Creates a table for the host to provide as an import (see <see cref="Linker.Define(string, string, Table)"/>).</summary>
    /// <param name="type">Element type and limits.</param>
    /// <param name="initialValue">The value of every initial element (a null reference if omitted).</param>
    /// <param name="maxElementsLimit">An extra cap on growth below the type's maximum (growing past it fails as <c>table.grow</c> does, with -1).</param>
    public Table(TableType type, Value? initialValue = null, uint? maxElementsLimit = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.ElementType.IsReference()) throw new ArgumentException($"a table holds references, not {type.ElementType.ToWatName()}", nameof(type));
        Type = type;
        uint max = Math.Min(type.Limits.Maximum ?? uint.MaxValue, (uint)Array.MaxLength);
        if (maxElementsLimit is { } limit) max = Math.Min(max, limit);
        if (type.Limits.Minimum > max)
            throw new WasmResourceException($"a table of {type.Limits.Minimum} elements exceeds the limit of {max} elements");
        MaximumLength = max;
        Elements = type.Limits.Minimum == 0 ? [] : new object?[type.Limits.Minimum];
        if (initialValue is { } init) Array.Fill(Elements, CheckElement(init));
    }

    /// <summary>The table's declared type (its initial size and maximum).</summary>
    public TableType Type { get; }

    public ValueType ElementType => Type.ElementType;

    /// <summary>The most elements this table can grow to: the declared maximum, capped by any limit.</summary>
    public uint MaximumLength { get; }

    /// <summary>Current number of elements.</summary>
    public uint Length => (uint)Elements.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public Value Get(uint index)
    {
        var elements = Elements;
        if (index >= (uint)elements.Length) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside the table of {elements.Length} elements");
        return ElementType == ValueType.FuncRef ? Value.FromFunction((Function?)elements[index]) : Value.FromExternRef(elements[index]);
    }

    /// <summary>Replaces the element at <paramref name="index"/>.</summary>
    public void Set(uint index, Value value)
    {
        var elements = Elements;
        if (index >= (uint)elements.Length) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside the table of {elements.Length} elements");
        elements[index] = CheckElement(value);
    }

    /// <summary>
    /// Grows the table by <paramref name="delta"/> elements set to <paramref name="initialValue"/>,
    /// as <c>table.grow</c> does. Returns the previous length, or -1 (leaving the table unchanged)
    /// when the new length would exceed <see cref="MaximumLength"/>.
    /// </summary>
    public int Grow(uint delta, Value initialValue) => GrowCore(delta, CheckElement(initialValue));

    internal int GrowCore(uint delta, object? initialValue)
    {
        var old = Elements;
        if (delta > MaximumLength - (uint)old.Length) return -1;
        if (delta == 0) return old.Length;
        object?[] grown;
        try
        {
            grown = new object?[old.Length + (int)delta];
        }
        catch (OutOfMemoryException)
        {
            return -1;
        }
        old.CopyTo(grown, 0);
        if (initialValue is not null) grown.AsSpan(old.Length).Fill(initialValue);
        Elements = grown;
        return old.Length;
    }

    private object? CheckElement(Value value)
    {
        if (value.Type != ElementType)
            throw new ArgumentException($"a {ElementType.ToWatName()} table cannot hold a {value.Type.ToWatName()} value", nameof(value));
        return value.Reference;
    }
}
