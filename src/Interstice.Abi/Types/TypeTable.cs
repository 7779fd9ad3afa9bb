namespace Interstice.Abi.Types;

/// <summary>Finds type definitions by name; what named types in a type expression refer to.</summary>
public sealed class TypeTable
{
    private readonly Dictionary<string, TypeDefinition> _byName = new(StringComparer.Ordinal);

    /// <summary>A table of <paramref name="definitions"/>; a duplicate name keeps the first definition.</summary>
    public TypeTable(IEnumerable<TypeDefinition> definitions)
    {
        foreach (var definition in definitions) _byName.TryAdd(definition.Name, definition);
    }

    /// <summary>A table with no definitions (for types without names).</summary>
    public static TypeTable Empty { get; } = new([]);

    /// <summary>The definition named <paramref name="name"/>, or null.</summary>
    public TypeDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The definition named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming it otherwise.</summary>
    public TypeDefinition Get(string name) =>
        _byName.TryGetValue(name, out var definition) ? definition : throw new KeyNotFoundException($"no type named '{name}'");

    /// <summary>
    /// True when values of <paramref name="type"/> can be primary keys and index keys: bool, integers,
    /// string, bytes, and enums whose variants are all unit (docs/abi.md section 4.3).
    /// </summary>
    public bool IsIndexable(AbiType type) => type.Tag switch
    {
        >= TypeTag.Bool and <= TypeTag.I64 => true,
        TypeTag.String or TypeTag.Bytes => true,
        TypeTag.Named => Find(((NamedType)type).Name) is EnumDefinition e && e.IsUnitOnly,
        _ => false,
    };
}
