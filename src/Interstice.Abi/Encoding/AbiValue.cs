using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding;

/// <summary>
/// A value held in memory without its type, for tools, tests and JSON conversion; what it means
/// is given by the <see cref="AbiType"/> it is encoded or decoded with (see <see cref="ValueCodec"/>).
/// Compared by content; floats compare by bit pattern.
/// </summary>
public abstract record AbiValue;

/// <summary>A <c>bool</c>.</summary>
public sealed record BoolValue(bool Value) : AbiValue;

/// <summary>An integer of type <see cref="Kind"/> (<c>u8</c>..<c>i64</c>); <see cref="Value"/> holds any of them exactly.</summary>
public sealed record IntegerValue(TypeTag Kind, Int128 Value) : AbiValue;

/// <summary>An <c>f32</c>; equality compares bit patterns, so NaN payloads and -0 are distinct values.</summary>
public sealed record F32Value(float Value) : AbiValue
{
    /// <summary>The IEEE bit pattern.</summary>
    public uint Bits => BitConverter.SingleToUInt32Bits(Value);

    /// <inheritdoc/>
    public bool Equals(F32Value? other) => other is not null && other.Bits == Bits;

    /// <inheritdoc/>
    public override int GetHashCode() => Bits.GetHashCode();
}

/// <summary>An <c>f64</c>; equality compares bit patterns, so NaN payloads and -0 are distinct values.</summary>
public sealed record F64Value(double Value) : AbiValue
{
    /// <summary>The IEEE bit pattern.</summary>
    public ulong Bits => BitConverter.DoubleToUInt64Bits(Value);

    /// <inheritdoc/>
    public bool Equals(F64Value? other) => other is not null && other.Bits == Bits;

    /// <inheritdoc/>
    public override int GetHashCode() => Bits.GetHashCode();
}

/// <summary>A <c>string</c>.</summary>
public sealed record StringValue(string Value) : AbiValue;

/// <summary>A <c>bytes</c> value.</summary>
public sealed record BytesValue(EquatableArray<byte> Value) : AbiValue;

/// <summary>An <c>option</c>: <see cref="Value"/> is null for none.</summary>
public sealed record OptionValue(AbiValue? Value) : AbiValue
{
    /// <summary>The empty option.</summary>
    public static OptionValue None { get; } = new((AbiValue?)null);
}

/// <summary>A <c>vec</c>'s elements.</summary>
public sealed record VecValue(EquatableArray<AbiValue> Items) : AbiValue;

/// <summary>A tuple's elements.</summary>
public sealed record TupleValue(EquatableArray<AbiValue> Items) : AbiValue
{
    /// <summary>The unit value <c>()</c>.</summary>
    public static TupleValue Unit { get; } = new(EquatableArray<AbiValue>.Empty);
}

/// <summary>A struct's field values in declaration order.</summary>
public sealed record StructValue(EquatableArray<AbiValue> Fields) : AbiValue;

/// <summary>An enum value: the variant's index and its payload (empty for a unit variant).</summary>
public sealed record EnumValue(int Variant, EquatableArray<AbiValue> Fields) : AbiValue;
