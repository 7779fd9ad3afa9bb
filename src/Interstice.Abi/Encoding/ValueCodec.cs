using System.Buffers;
using Interstice.Abi.Types;

namespace Interstice.Abi.Encoding;

/// <summary>
/// Encodes, decodes and checks values directed by their type (docs/abi.md section 3). Named types
/// are resolved through a <see cref="TypeTable"/>. <see cref="Skip"/> validates encoded bytes
/// without building values, which is what a host needs for rows and arguments. Reading and
/// skipping count every part against the input's <see cref="PartsBudget"/>, carried by the
/// <see cref="ValueReader"/>: an input that would decode to more parts is refused.
/// </summary>
public static class ValueCodec
{
    /// <summary>How deeply values may nest: each option, vec, tuple, struct or enum level counts one.</summary>
    public const int MaxDepth = 128;

    /// <summary>
    /// The parts (values, counting each struct, tuple, element and field) an input may decode to
    /// for each of its bytes, past the first <see cref="MaxZeroByteParts"/>.
    /// Ordinary values hold one to three parts a byte (a part per field, one per struct: a
    /// <c>vec&lt;struct { x: u8 }&gt;</c> holds two), and four for one-byte fields nested three
    /// structs deep; eight leaves twice that, while a hostile input (one byte carrying a large
    /// zero-byte struct, repeated) costs no more than an ordinary value eight times its size.
    /// </summary>
    public const int MaxPartsPerByte = 8;

    /// <summary>The parts a value that encodes to zero bytes may hold, the budget's base (the schema bounds zero-byte types by it too).</summary>
    public const int MaxZeroByteParts = 1024;

    /// <summary>
    /// The most parts the values in an input of <paramref name="length"/> bytes may hold, together
    /// (docs/abi.md section 6): <see cref="MaxZeroByteParts"/>, what a value that
    /// encodes to zero bytes may hold, plus <see cref="MaxPartsPerByte"/> per byte. Decoding and
    /// validation count each part against it and refuse the input past it, so that a few bytes
    /// cannot become millions of values (a vec of structs each pairing a byte with a large
    /// zero-byte struct, or vecs of vecs of units).
    /// </summary>
    public static long PartsBudget(int length) => MaxZeroByteParts + (long)MaxPartsPerByte * length;

    /// <summary>Encodes <paramref name="value"/> as <paramref name="type"/>; throws <see cref="ArgumentException"/> when they do not match.</summary>
    public static byte[] Encode(AbiType type, AbiValue value, TypeTable types)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(type, value, types, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes <paramref name="value"/> as <paramref name="type"/> into <paramref name="output"/>.</summary>
    public static void Encode(AbiType type, AbiValue value, TypeTable types, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(types);
        var writer = new ValueWriter(output);
        Write(ref writer, type, value, types, 0, "value");
    }

    /// <summary>Decodes a buffer holding exactly one value of <paramref name="type"/>.</summary>
    public static AbiValue Decode(AbiType type, ReadOnlySpan<byte> data, TypeTable types)
    {
        var reader = new ValueReader(data);
        var value = Read(ref reader, type, types);
        reader.ExpectEnd();
        return value;
    }

    /// <summary>Reads one value of <paramref name="type"/> at the reader's position.</summary>
    public static AbiValue Read(ref ValueReader reader, AbiType type, TypeTable types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        return ReadValue(ref reader, type, types, 0);
    }

    /// <summary>Checks that <paramref name="data"/> holds exactly one valid value of <paramref name="type"/>, without building it.</summary>
    public static void Validate(AbiType type, ReadOnlySpan<byte> data, TypeTable types)
    {
        var reader = new ValueReader(data);
        Skip(ref reader, type, types);
        reader.ExpectEnd();
    }

    /// <summary>Moves the reader past one valid value of <paramref name="type"/>, checking it as <see cref="Read"/> would.</summary>
    public static void Skip(ref ValueReader reader, AbiType type, TypeTable types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        SkipValue(ref reader, type, types, 0);
    }

    private static AbiValue ReadValue(ref ValueReader reader, AbiType type, TypeTable types, int depth)
    {
        reader.CountPart();
        switch (type.Tag)
        {
            case TypeTag.Bool: return new BoolValue(reader.ReadBool());
            case TypeTag.U8: return new IntegerValue(TypeTag.U8, reader.ReadU8());
            case TypeTag.U16: return new IntegerValue(TypeTag.U16, reader.ReadU16());
            case TypeTag.U32: return new IntegerValue(TypeTag.U32, reader.ReadU32());
            case TypeTag.U64: return new IntegerValue(TypeTag.U64, reader.ReadU64());
            case TypeTag.I8: return new IntegerValue(TypeTag.I8, reader.ReadI8());
            case TypeTag.I16: return new IntegerValue(TypeTag.I16, reader.ReadI16());
            case TypeTag.I32: return new IntegerValue(TypeTag.I32, reader.ReadI32());
            case TypeTag.I64: return new IntegerValue(TypeTag.I64, reader.ReadI64());
            case TypeTag.F32: return new F32Value(reader.ReadF32());
            case TypeTag.F64: return new F64Value(reader.ReadF64());
            case TypeTag.String: return new StringValue(reader.ReadString());
            case TypeTag.Bytes: return new BytesValue(reader.ReadBytes().ToArray());
        }

        depth = Enter(ref reader, depth);
        switch (type)
        {
            case OptionType option:
                return reader.ReadOptionTag() ? new OptionValue(ReadValue(ref reader, option.Element, types, depth)) : OptionValue.None;
            case VecType vec:
            {
                // ReadCount bounds the count by the parts left, before the array is allocated.
                int count = reader.ReadCount();
                var items = new AbiValue[count];
                for (int i = 0; i < count; i++) items[i] = ReadValue(ref reader, vec.Element, types, depth);
                return new VecValue(items);
            }
            case TupleType tuple:
                return new TupleValue(ReadAll(ref reader, tuple.Elements, types, depth));
            case NamedType named:
                switch (Resolve(named, types, reader.Position))
                {
                    case StructDefinition s:
                        return new StructValue(ReadFields(ref reader, s.Fields, types, depth));
                    case EnumDefinition e:
                    {
                        int index = reader.ReadVariant(e.Variants.Count);
                        return new EnumValue(index, ReadFields(ref reader, e.Variants[index].Fields, types, depth));
                    }
                }
                break;
        }
        throw new ArgumentException($"unsupported type {type}", nameof(type));
    }

    private static AbiValue[] ReadAll(ref ValueReader reader, EquatableArray<AbiType> elementTypes, TypeTable types, int depth)
    {
        var items = new AbiValue[elementTypes.Count];
        for (int i = 0; i < items.Length; i++) items[i] = ReadValue(ref reader, elementTypes[i], types, depth);
        return items;
    }

    private static AbiValue[] ReadFields(ref ValueReader reader, EquatableArray<Field> fields, TypeTable types, int depth)
    {
        var items = new AbiValue[fields.Count];
        for (int i = 0; i < items.Length; i++) items[i] = ReadValue(ref reader, fields[i].Type, types, depth);
        return items;
    }

    /// <summary>The interpreter behind <see cref="Skip"/>: one value of <paramref name="type"/> at nesting <paramref name="depth"/>.</summary>
    internal static void SkipValue(ref ValueReader reader, AbiType type, TypeTable types, int depth)
    {
        reader.CountPart();
        int size = type.FixedSize;
        if (type.Tag == TypeTag.Bool)
        {
            reader.ReadBool();
            return;
        }
        if (size > 0)
        {
            reader.ReadRaw(size);
            return;
        }
        switch (type.Tag)
        {
            case TypeTag.String:
                reader.ReadUtf8();
                return;
            case TypeTag.Bytes:
                reader.ReadBytes();
                return;
        }

        depth = Enter(ref reader, depth);
        switch (type)
        {
            case OptionType option:
                if (reader.ReadOptionTag()) SkipValue(ref reader, option.Element, types, depth);
                return;
            case VecType vec:
            {
                int count = reader.ReadCount();
                for (int i = 0; i < count; i++) SkipValue(ref reader, vec.Element, types, depth);
                return;
            }
            case TupleType tuple:
                foreach (var element in tuple.Elements.AsSpan()) SkipValue(ref reader, element, types, depth);
                return;
            case NamedType named:
                switch (Resolve(named, types, reader.Position))
                {
                    case StructDefinition s:
                        foreach (var field in s.Fields.AsSpan()) SkipValue(ref reader, field.Type, types, depth);
                        return;
                    case EnumDefinition e:
                    {
                        int index = reader.ReadVariant(e.Variants.Count);
                        foreach (var field in e.Variants[index].Fields.AsSpan()) SkipValue(ref reader, field.Type, types, depth);
                        return;
                    }
                }
                break;
        }
        throw new ArgumentException($"unsupported type {type}", nameof(type));
    }

    /// <summary>Counts one nesting level at the reader's position; throws past <see cref="MaxDepth"/>.</summary>
    internal static int Enter(ref ValueReader reader, int depth)
    {
        if (depth >= MaxDepth) throw new AbiDecodeException($"value nests deeper than {MaxDepth} levels", reader.Position);
        return depth + 1;
    }

    private static TypeDefinition Resolve(NamedType named, TypeTable types, int offset) =>
        types.Find(named.Name) ?? throw Undefined(named.Name, offset);

    /// <summary>The error for a value of a named type that has no definition.</summary>
    internal static AbiDecodeException Undefined(string name, int offset) => new($"type '{name}' is not defined", offset);

    private static void Write(ref ValueWriter writer, AbiType type, AbiValue value, TypeTable types, int depth, string path)
    {
        switch (type.Tag)
        {
            case TypeTag.Bool:
                writer.WriteBool(As<BoolValue>(value, type, path).Value);
                return;
            case >= TypeTag.U8 and <= TypeTag.I64:
                WriteInteger(ref writer, type.Tag, As<IntegerValue>(value, type, path), path);
                return;
            case TypeTag.F32:
                writer.WriteF32(As<F32Value>(value, type, path).Value);
                return;
            case TypeTag.F64:
                writer.WriteF64(As<F64Value>(value, type, path).Value);
                return;
            case TypeTag.String:
                writer.WriteString(As<StringValue>(value, type, path).Value);
                return;
            case TypeTag.Bytes:
                writer.WriteBytes(As<BytesValue>(value, type, path).Value.AsSpan());
                return;
        }

        if (depth >= MaxDepth) throw new ArgumentException($"{path}: value nests deeper than {MaxDepth} levels");
        depth++;
        switch (type)
        {
            case OptionType option:
            {
                var inner = As<OptionValue>(value, type, path).Value;
                writer.WriteOptionTag(inner is not null);
                if (inner is not null) Write(ref writer, option.Element, inner, types, depth, path + ".some");
                return;
            }
            case VecType vec:
            {
                var items = As<VecValue>(value, type, path).Items;
                writer.WriteLength((uint)items.Count);
                for (int i = 0; i < items.Count; i++) Write(ref writer, vec.Element, items[i], types, depth, $"{path}[{i}]");
                return;
            }
            case TupleType tuple:
            {
                var items = As<TupleValue>(value, type, path).Items;
                if (items.Count != tuple.Elements.Count) throw new ArgumentException($"{path}: {type} has {tuple.Elements.Count} elements, the value has {items.Count}");
                for (int i = 0; i < items.Count; i++) Write(ref writer, tuple.Elements[i], items[i], types, depth, $"{path}.{i}");
                return;
            }
            case NamedType named:
            {
                var definition = types.Find(named.Name) ?? throw new ArgumentException($"{path}: type '{named.Name}' is not defined");
                if (definition is StructDefinition s)
                {
                    WriteFields(ref writer, s.Fields, As<StructValue>(value, type, path).Fields, types, depth, path);
                    return;
                }
                var e = (EnumDefinition)definition;
                var enumValue = As<EnumValue>(value, type, path);
                if ((uint)enumValue.Variant >= (uint)e.Variants.Count)
                    throw new ArgumentException($"{path}: variant {enumValue.Variant} is out of range for enum {e.Name}");
                writer.WriteVariant((uint)enumValue.Variant);
                var variant = e.Variants[enumValue.Variant];
                WriteFields(ref writer, variant.Fields, enumValue.Fields, types, depth, $"{path}.{variant.Name}");
                return;
            }
        }
        throw new ArgumentException($"{path}: unsupported type {type}");
    }

    private static void WriteFields(ref ValueWriter writer, EquatableArray<Field> fields, EquatableArray<AbiValue> values, TypeTable types, int depth, string path)
    {
        if (fields.Count != values.Count) throw new ArgumentException($"{path}: expected {fields.Count} field(s), the value has {values.Count}");
        for (int i = 0; i < fields.Count; i++) Write(ref writer, fields[i].Type, values[i], types, depth, $"{path}.{fields[i].Name}");
    }

    private static void WriteInteger(ref ValueWriter writer, TypeTag tag, IntegerValue value, string path)
    {
        if (value.Kind != tag) throw new ArgumentException($"{path}: expected a {AbiType.Primitive(tag)}, found a {AbiType.Primitive(value.Kind)}");
        if (!IntegerRange.Contains(tag, value.Value)) throw new ArgumentException($"{path}: {value.Value} is out of range for {AbiType.Primitive(tag)}");
        switch (tag)
        {
            case TypeTag.U8: writer.WriteU8((byte)value.Value); break;
            case TypeTag.U16: writer.WriteU16((ushort)value.Value); break;
            case TypeTag.U32: writer.WriteU32((uint)value.Value); break;
            case TypeTag.U64: writer.WriteU64((ulong)value.Value); break;
            case TypeTag.I8: writer.WriteI8((sbyte)value.Value); break;
            case TypeTag.I16: writer.WriteI16((short)value.Value); break;
            case TypeTag.I32: writer.WriteI32((int)value.Value); break;
            default: writer.WriteI64((long)value.Value); break;
        }
    }

    private static T As<T>(AbiValue value, AbiType type, string path) where T : AbiValue =>
        value as T ?? throw new ArgumentException($"{path}: a {value.GetType().Name} cannot be encoded as {type}");
}
