namespace Interstice.Abi.Types;

/// <summary>
/// A type expression (docs/abi.md section 2): a primitive, <c>option&lt;T&gt;</c>, <c>vec&lt;T&gt;</c>,
/// a tuple, or a reference to a named type definition. Immutable, compared by structure;
/// <see cref="object.ToString"/> gives the text form (<c>option&lt;vec&lt;Mood&gt;&gt;</c>).
/// </summary>
public abstract record AbiType
{
    private protected AbiType(TypeTag tag) => Tag = tag;

    /// <summary>What kind of type this is.</summary>
    public TypeTag Tag { get; }

    public static PrimitiveType Bool { get; } = new(TypeTag.Bool);
    public static PrimitiveType U8 { get; } = new(TypeTag.U8);
    public static PrimitiveType U16 { get; } = new(TypeTag.U16);
    public static PrimitiveType U32 { get; } = new(TypeTag.U32);
    public static PrimitiveType U64 { get; } = new(TypeTag.U64);
    public static PrimitiveType I8 { get; } = new(TypeTag.I8);
    public static PrimitiveType I16 { get; } = new(TypeTag.I16);
    public static PrimitiveType I32 { get; } = new(TypeTag.I32);
    public static PrimitiveType I64 { get; } = new(TypeTag.I64);
    public static PrimitiveType F32 { get; } = new(TypeTag.F32);
    public static PrimitiveType F64 { get; } = new(TypeTag.F64);
    public static PrimitiveType String { get; } = new(TypeTag.String);
    public static PrimitiveType Bytes { get; } = new(TypeTag.Bytes);

    /// <summary>The unit type <c>()</c>.</summary>
    public static TupleType Unit { get; } = new(EquatableArray<AbiType>.Empty);

    /// <summary>The primitive type with tag <paramref name="tag"/> (one of <c>Bool</c>..<c>Bytes</c>).</summary>
    public static PrimitiveType Primitive(TypeTag tag) => tag switch
    {
        TypeTag.Bool => Bool,
        TypeTag.U8 => U8,
        TypeTag.U16 => U16,
        TypeTag.U32 => U32,
        TypeTag.U64 => U64,
        TypeTag.I8 => I8,
        TypeTag.I16 => I16,
        TypeTag.I32 => I32,
        TypeTag.I64 => I64,
        TypeTag.F32 => F32,
        TypeTag.F64 => F64,
        TypeTag.String => String,
        TypeTag.Bytes => Bytes,
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "not a primitive type tag"),
    };

    /// <summary>True for <c>u8</c>..<c>u64</c> and <c>i8</c>..<c>i64</c>.</summary>
    public bool IsInteger => Tag is >= TypeTag.U8 and <= TypeTag.I64;

    /// <summary>The width in bytes of a fixed-width primitive (bool, integers, floats); 0 otherwise.</summary>
    public int FixedSize => Tag switch
    {
        TypeTag.Bool or TypeTag.U8 or TypeTag.I8 => 1,
        TypeTag.U16 or TypeTag.I16 => 2,
        TypeTag.U32 or TypeTag.I32 or TypeTag.F32 => 4,
        TypeTag.U64 or TypeTag.I64 or TypeTag.F64 => 8,
        _ => 0,
    };

    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}

/// <summary>One of the primitive types: <c>bool</c>, the integers, the floats, <c>string</c>, <c>bytes</c>.</summary>
public sealed record PrimitiveType : AbiType
{
    internal PrimitiveType(TypeTag tag) : base(tag) { }

    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}

/// <summary><c>option&lt;T&gt;</c>: nothing, or one <c>T</c>.</summary>
public sealed record OptionType(AbiType Element) : AbiType(TypeTag.Option)
{
    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}

/// <summary><c>vec&lt;T&gt;</c>: a sequence of elements.</summary>
public sealed record VecType(AbiType Element) : AbiType(TypeTag.Vec)
{
    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}

/// <summary>A tuple <c>(T1, T2, ...)</c>; the empty tuple is the unit type.</summary>
public sealed record TupleType(EquatableArray<AbiType> Elements) : AbiType(TypeTag.Tuple)
{
    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}

/// <summary>A reference to the type definition named <see cref="Name"/> (possibly qualified: <c>hello.Mood</c>).</summary>
public sealed record NamedType(string Name) : AbiType(TypeTag.Named)
{
    /// <inheritdoc/>
    public override string ToString() => TypeSyntax.Format(this);
}
