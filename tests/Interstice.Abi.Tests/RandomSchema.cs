using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

/// <summary>
/// Random type definitions and values for differential tests of the codec. Definitions
/// <c>T0</c>..<c>Tn</c> are structs and enums that may refer to each other and to themselves;
/// a definition's fields refer directly (not through an option, a vec or a later enum variant) only
/// to earlier definitions, so every type has finite values. Some references name <c>Missing</c>,
/// which is not defined. Deterministic for a seed.
/// </summary>
internal sealed class RandomSchema
{
    public const string Undefined = "Missing";

    /// <summary>Past this depth values take the way out: none, an empty vec, an enum's variant 0 (primitives only).</summary>
    private const int ValueDepth = 6;

    private readonly Random _random;
    private readonly int _count;
    private readonly List<TypeDefinition> _definitions = [];

    public RandomSchema(int seed, int definitions)
    {
        _random = new Random(seed);
        _count = definitions;
        for (int i = 0; i < definitions; i++) _definitions.Add(Definition(i));
        Types = new TypeTable(_definitions);
    }

    public TypeTable Types { get; }

    public IReadOnlyList<TypeDefinition> Definitions => _definitions;

    /// <summary>A type expression that may refer to any definition (or to the undefined name).</summary>
    public AbiType AnyType() => _random.Next(3) == 0
        ? new NamedType($"T{_random.Next(_count)}")
        : Expression(_count, budget: 3, guarded: true);

    /// <summary>A random value of <paramref name="type"/>, or null when every value would reach an undefined type.</summary>
    public AbiValue? Value(AbiType type, int depth = 0)
    {
        switch (type.Tag)
        {
            case TypeTag.Bool: return new BoolValue(_random.Next(2) == 1);
            case TypeTag.U8: return new IntegerValue(TypeTag.U8, _random.Next(256));
            case TypeTag.U16: return new IntegerValue(TypeTag.U16, _random.Next(65536));
            case TypeTag.U32: return new IntegerValue(TypeTag.U32, (uint)_random.NextInt64());
            case TypeTag.U64: return new IntegerValue(TypeTag.U64, (ulong)_random.NextInt64() * 3);
            case TypeTag.I8: return new IntegerValue(TypeTag.I8, (sbyte)_random.Next(256));
            case TypeTag.I16: return new IntegerValue(TypeTag.I16, (short)_random.Next(65536));
            case TypeTag.I32: return new IntegerValue(TypeTag.I32, _random.Next(int.MinValue, int.MaxValue));
            case TypeTag.I64: return new IntegerValue(TypeTag.I64, _random.NextInt64(long.MinValue, long.MaxValue));
            case TypeTag.F32: return new F32Value(BitConverter.Int32BitsToSingle(_random.Next()));
            case TypeTag.F64: return new F64Value(BitConverter.Int64BitsToDouble(_random.NextInt64()));
            case TypeTag.String: return new StringValue(Text());
            case TypeTag.Bytes: return new BytesValue(Bytes(_random.Next(5)));
        }
        switch (type)
        {
            case OptionType option:
                return depth >= ValueDepth || _random.Next(3) == 0 ? OptionValue.None
                    : Value(option.Element, depth + 1) is { } some ? new OptionValue(some) : OptionValue.None;
            case VecType vec:
            {
                int count = depth >= ValueDepth ? 0 : _random.Next(4);
                var items = new AbiValue[count];
                for (int i = 0; i < count; i++)
                {
                    if (Value(vec.Element, depth + 1) is not { } item) return new VecValue(EquatableArray<AbiValue>.Empty);
                    items[i] = item;
                }
                return new VecValue(items);
            }
            case TupleType tuple:
                return Values(tuple.Elements, depth) is { } elements ? new TupleValue(elements) : null;
            case NamedType named:
                switch (Types.Find(named.Name))
                {
                    case StructDefinition s:
                        return Values(FieldTypes(s.Fields), depth) is { } members ? new StructValue(members) : null;
                    case EnumDefinition e:
                    {
                        int variant = depth >= ValueDepth ? 0 : _random.Next(e.Variants.Count);
                        var fields = Values(FieldTypes(e.Variants[variant].Fields), depth);
                        if (fields is null)
                        {
                            variant = 0;
                            fields = Values(FieldTypes(e.Variants[0].Fields), depth);
                        }
                        return fields is { } values ? new EnumValue(variant, values) : null;
                    }
                }
                return null;
        }
        throw new ArgumentException($"unexpected type {type}");
    }

    private EquatableArray<AbiValue>? Values(EquatableArray<AbiType> types, int depth)
    {
        var values = new AbiValue[types.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (Value(types[i], depth + 1) is not { } value) return null;
            values[i] = value;
        }
        return new EquatableArray<AbiValue>(values);
    }

    private static EquatableArray<AbiType> FieldTypes(EquatableArray<Field> fields)
    {
        var types = new AbiType[fields.Count];
        for (int i = 0; i < types.Length; i++) types[i] = fields[i].Type;
        return new EquatableArray<AbiType>(types);
    }

    private TypeDefinition Definition(int index)
    {
        string name = $"T{index}";
        if (_random.Next(5) < 3) return new StructDefinition(name, Fields(index, _random.Next(6), guarded: false));
        int variants = _random.Next(1, 5);
        var list = new Variant[variants];
        // Variant 0 holds primitives only: the way out of a recursive enum.
        list[0] = _random.Next(2) == 0 ? Variant.Unit("V0") : Variant.Tuple("V0", Primitive(), Primitive());
        for (int v = 1; v < variants; v++)
        {
            list[v] = _random.Next(3) switch
            {
                0 => Variant.Unit($"V{v}"),
                1 => new Variant($"V{v}", VariantKind.Tuple, Fields(index, _random.Next(1, 4), guarded: true)),
                _ => new Variant($"V{v}", VariantKind.Struct, Fields(index, _random.Next(1, 4), guarded: true)),
            };
        }
        return new EnumDefinition(name, list);
    }

    private Field[] Fields(int owner, int count, bool guarded)
    {
        var fields = new Field[count];
        for (int i = 0; i < count; i++) fields[i] = new Field($"f{i}", Expression(owner, budget: 3, guarded));
        return fields;
    }

    /// <summary>
    /// A type expression inside definition <paramref name="owner"/>. Unless <paramref name="guarded"/>
    /// (under an option or a vec, or in a later enum variant), named types are earlier definitions.
    /// </summary>
    private AbiType Expression(int owner, int budget, bool guarded)
    {
        int choice = budget <= 0 ? 0 : _random.Next(10);
        switch (choice)
        {
            case <= 4: return Primitive();
            case 5: return new OptionType(Expression(owner, budget - 1, guarded: true));
            case 6: return new VecType(Expression(owner, budget - 1, guarded: true));
            case 7:
            {
                var elements = new AbiType[_random.Next(4)];
                for (int i = 0; i < elements.Length; i++) elements[i] = Expression(owner, budget - 1, guarded);
                return elements.Length == 0 ? AbiType.Unit : new TupleType(elements);
            }
            default:
            {
                if (_random.Next(12) == 0) return new NamedType(Undefined);
                int limit = guarded ? _count : owner;
                return limit == 0 ? Primitive() : new NamedType($"T{_random.Next(limit)}");
            }
        }
    }

    private AbiType Primitive() => AbiType.Primitive((TypeTag)_random.Next((int)TypeTag.Bytes + 1));

    private string Text()
    {
        string[] pieces = ["a", "key-7", "é", "日本", "🙂", ""];
        var text = new StringBuilder();
        int count = _random.Next(4);
        for (int i = 0; i < count; i++) text.Append(pieces[_random.Next(pieces.Length)]);
        return text.ToString();
    }

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
