namespace Interstice.Abi.Types;

/// <summary>A named type of a schema: a <see cref="StructDefinition"/> or an <see cref="EnumDefinition"/>.</summary>
public abstract record TypeDefinition(string Name);

/// <summary>A struct: named fields in declaration order (the order of their encoding).</summary>
public sealed record StructDefinition(string Name, EquatableArray<Field> Fields) : TypeDefinition(Name);

/// <summary>An enum: variants in declaration order (a variant's index is its position).</summary>
public sealed record EnumDefinition(string Name, EquatableArray<Variant> Variants) : TypeDefinition(Name)
{
    /// <summary>True when every variant is a unit variant (such enums are indexable).</summary>
    public bool IsUnitOnly
    {
        get
        {
            foreach (var variant in Variants)
            {
                if (variant.Kind != VariantKind.Unit) return false;
            }
            return true;
        }
    }
}

/// <summary>A named, typed field of a struct, a struct variant, or a reducer's or query's arguments.</summary>
public sealed record Field(string Name, AbiType Type);

/// <summary>The shape of an enum variant's payload.</summary>
public enum VariantKind : byte
{
    /// <summary>No payload.</summary>
    Unit = 0,

    /// <summary>An ordered list of types.</summary>
    Tuple = 1,

    /// <summary>An ordered list of named fields.</summary>
    Struct = 2,
}

/// <summary>
/// An enum variant. For <see cref="VariantKind.Tuple"/> variants the fields are named
/// <c>0</c>, <c>1</c>, ... (names are not encoded); unit variants have no fields.
/// </summary>
public sealed record Variant(string Name, VariantKind Kind, EquatableArray<Field> Fields)
{
    /// <summary>A unit variant.</summary>
    public static Variant Unit(string name) => new(name, VariantKind.Unit, EquatableArray<Field>.Empty);

    /// <summary>A tuple variant with the given element types.</summary>
    public static Variant Tuple(string name, params ReadOnlySpan<AbiType> types)
    {
        var fields = new Field[types.Length];
        for (int i = 0; i < types.Length; i++) fields[i] = new Field(i.ToString(System.Globalization.CultureInfo.InvariantCulture), types[i]);
        return new Variant(name, VariantKind.Tuple, fields);
    }

    /// <summary>A struct variant with the given fields.</summary>
    public static Variant Struct(string name, params ReadOnlySpan<Field> fields) => new(name, VariantKind.Struct, fields.ToArray());
}
