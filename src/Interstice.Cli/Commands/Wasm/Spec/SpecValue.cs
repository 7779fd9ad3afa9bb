namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>The type of a value in a spec script.</summary>
internal enum SpecValueType
{
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

/// <summary>The lane shape of a <c>v128</c> value.</summary>
internal enum SpecLaneType
{
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
}

/// <summary>What a value (or one lane of a <c>v128</c>) of a script holds.</summary>
internal enum SpecValueKind
{
    /// <summary>A concrete value: <see cref="SpecLane.Bits"/> holds it.</summary>
    Bits,

    /// <summary>A null reference (<c>ref.null</c>).</summary>
    Null,

    /// <summary>Expected results only: any canonical NaN of the float type, either sign.</summary>
    CanonicalNan,

    /// <summary>Expected results only: any arithmetic NaN (quiet bit set) of the float type.</summary>
    ArithmeticNan,

    /// <summary>The script gives only the type: any value (for references: any non-null reference).</summary>
    Unspecified,
}

/// <summary>
/// A scalar, or one lane of a <c>v128</c>. For numbers, <see cref="Bits"/> is the bit pattern
/// (integers zero-extended, floats as their IEEE bits); for <c>externref</c> it is the host
/// value's number (<c>ref.extern N</c>).
/// </summary>
internal readonly record struct SpecLane(SpecValueKind Kind, ulong Bits);

/// <summary>An argument or an expected result of an action.</summary>
/// <param name="Type">The value's type.</param>
/// <param name="Scalar">The value, for every type but <see cref="SpecValueType.V128"/>.</param>
/// <param name="LaneType">The lane shape, for <see cref="SpecValueType.V128"/>.</param>
/// <param name="Lanes">The lanes, for a <see cref="SpecValueType.V128"/> with a value; null otherwise.</param>
internal sealed record SpecValue(SpecValueType Type, SpecLane Scalar, SpecLaneType LaneType = SpecLaneType.I8, IReadOnlyList<SpecLane>? Lanes = null)
{
    public SpecValueKind Kind => Scalar.Kind;
    public ulong Bits => Scalar.Bits;
}
