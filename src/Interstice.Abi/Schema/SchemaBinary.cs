using System.Buffers;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>
/// The canonical binary encoding of a <see cref="ModuleSchema"/>: the schema as a value of the
/// <c>ModuleSchema</c> type of docs/abi.md section 4, encoded as in section 3. Also reads and
/// writes the schema's parts, which are the bodies of the custom section's records.
/// </summary>
public static class SchemaBinary
{
    /// <summary>Encodes <paramref name="schema"/> (which should be canonical) in the canonical binary form.</summary>
    public static byte[] Encode(ModuleSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ValueWriter(buffer);
        WriteHeader(ref writer, Header.Of(schema));
        WriteList(ref writer, schema.Types, WriteTypeDefinition);
        WriteList(ref writer, schema.Tables, WriteTable);
        WriteList(ref writer, schema.Reducers, WriteReducer);
        WriteList(ref writer, schema.Queries, WriteQuery);
        WriteList(ref writer, schema.Subscriptions, WriteSubscription);
        WriteList(ref writer, schema.Dependencies, WriteDependency);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a canonical schema encoding. Throws <see cref="AbiDecodeException"/> when the bytes
    /// are malformed and <see cref="SchemaException"/> when the schema is invalid or not canonical.
    /// </summary>
    public static ModuleSchema Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ValueReader(data);
        var header = ReadHeader(ref reader);
        var schema = new ModuleSchema(
            header.AbiVersion, header.Name, header.Version, header.Visibility, header.Authorities,
            ReadList(ref reader, ReadTypeDefinition),
            ReadList(ref reader, ReadTable),
            ReadList(ref reader, ReadReducer),
            ReadList(ref reader, ReadQuery),
            ReadList(ref reader, ReadSubscription),
            ReadList(ref reader, ReadDependency));
        reader.ExpectEnd();
        SchemaValidator.ThrowIfInvalid(schema);
        return schema;
    }

    /// <summary>The module header record's body (kind 1): the schema's scalar fields.</summary>
    internal sealed record Header(uint AbiVersion, string Name, string Version, Visibility Visibility, EquatableArray<string> Authorities)
    {
        public static Header Of(ModuleSchema schema) => new(schema.AbiVersion, schema.Name, schema.Version, schema.Visibility, schema.Authorities);
    }

    internal delegate void Writer<T>(ref ValueWriter writer, T value);

    internal delegate T Reader<T>(ref ValueReader reader);

    internal static void WriteHeader(ref ValueWriter writer, Header header)
    {
        writer.WriteU32(header.AbiVersion);
        writer.WriteString(header.Name);
        writer.WriteString(header.Version);
        writer.WriteVariant((uint)header.Visibility);
        WriteList(ref writer, header.Authorities, static (ref ValueWriter w, string a) => w.WriteString(a));
    }

    internal static Header ReadHeader(ref ValueReader reader)
    {
        uint abiVersion = reader.ReadU32();
        if (abiVersion != AbiVersion.Current)
            throw new SchemaException([$"abi_version {abiVersion} is not supported (this implementation supports {AbiVersion.Current})"]);
        return new Header(
            abiVersion,
            reader.ReadString(),
            reader.ReadString(),
            (Visibility)reader.ReadVariant(2),
            ReadList(ref reader, static (ref ValueReader r) => r.ReadString()));
    }

    internal static void WriteType(ref ValueWriter writer, AbiType type)
    {
        writer.WriteVariant((uint)type.Tag);
        switch (type)
        {
            case OptionType option:
                WriteType(ref writer, option.Element);
                break;
            case VecType vec:
                WriteType(ref writer, vec.Element);
                break;
            case TupleType tuple:
                writer.WriteLength((uint)tuple.Elements.Count);
                foreach (var element in tuple.Elements) WriteType(ref writer, element);
                break;
            case NamedType named:
                writer.WriteString(named.Name);
                break;
        }
    }

    internal static AbiType ReadType(ref ValueReader reader) => ReadType(ref reader, 0);

    private static AbiType ReadType(ref ValueReader reader, int depth)
    {
        if (depth >= ValueCodec.MaxDepth) throw new AbiDecodeException($"type nests deeper than {ValueCodec.MaxDepth} levels", reader.Position);
        var tag = (TypeTag)reader.ReadVariant((int)TypeTag.Named + 1);
        switch (tag)
        {
            case TypeTag.Option: return new OptionType(ReadType(ref reader, depth + 1));
            case TypeTag.Vec: return new VecType(ReadType(ref reader, depth + 1));
            case TypeTag.Tuple:
            {
                int count = reader.ReadCount();
                var elements = new AbiType[count];
                for (int i = 0; i < count; i++) elements[i] = ReadType(ref reader, depth + 1);
                return count == 0 ? AbiType.Unit : new TupleType(elements);
            }
            case TypeTag.Named: return new NamedType(reader.ReadString());
            default: return AbiType.Primitive(tag);
        }
    }

    internal static void WriteTypeDefinition(ref ValueWriter writer, TypeDefinition definition)
    {
        writer.WriteString(definition.Name);
        switch (definition)
        {
            case StructDefinition s:
                writer.WriteVariant(0);
                WriteList(ref writer, s.Fields, WriteField);
                break;
            case EnumDefinition e:
                writer.WriteVariant(1);
                WriteList(ref writer, e.Variants, WriteVariant);
                break;
        }
    }

    internal static TypeDefinition ReadTypeDefinition(ref ValueReader reader)
    {
        string name = reader.ReadString();
        return reader.ReadVariant(2) == 0
            ? new StructDefinition(name, ReadList(ref reader, ReadField))
            : new EnumDefinition(name, ReadList(ref reader, ReadVariant));
    }

    private static void WriteField(ref ValueWriter writer, Field field)
    {
        writer.WriteString(field.Name);
        WriteType(ref writer, field.Type);
    }

    private static Field ReadField(ref ValueReader reader) => new(reader.ReadString(), ReadType(ref reader));

    private static void WriteVariant(ref ValueWriter writer, Variant variant)
    {
        writer.WriteString(variant.Name);
        writer.WriteVariant((uint)variant.Kind);
        switch (variant.Kind)
        {
            case VariantKind.Tuple:
                writer.WriteLength((uint)variant.Fields.Count);
                foreach (var field in variant.Fields) WriteType(ref writer, field.Type);
                break;
            case VariantKind.Struct:
                WriteList(ref writer, variant.Fields, WriteField);
                break;
        }
    }

    private static Variant ReadVariant(ref ValueReader reader)
    {
        string name = reader.ReadString();
        switch ((VariantKind)reader.ReadVariant(3))
        {
            case VariantKind.Unit:
                return Variant.Unit(name);
            case VariantKind.Tuple:
            {
                var types = ReadList(ref reader, ReadType);
                return Variant.Tuple(name, types.AsSpan());
            }
            default:
                return new Variant(name, VariantKind.Struct, ReadList(ref reader, ReadField));
        }
    }

    internal static void WriteTable(ref ValueWriter writer, TableSchema table)
    {
        writer.WriteString(table.Name);
        writer.WriteString(table.Row);
        writer.WriteU32((uint)table.PrimaryKey);
        WriteList(ref writer, table.AutoInc, WriteColumn);
        WriteList(ref writer, table.Indexes, static (ref ValueWriter w, IndexSchema index) =>
        {
            w.WriteString(index.Name);
            WriteList(ref w, index.Columns, WriteColumn);
            w.WriteVariant((uint)index.Kind);
            w.WriteBool(index.Unique);
        });
        writer.WriteBool(table.Ephemeral);
    }

    internal static TableSchema ReadTable(ref ValueReader reader) => new(
        reader.ReadString(),
        reader.ReadString(),
        ReadColumn(ref reader),
        ReadList(ref reader, ReadColumn),
        ReadList(ref reader, static (ref ValueReader r) => new IndexSchema(
            r.ReadString(),
            ReadList(ref r, ReadColumn),
            (IndexKind)r.ReadVariant(2),
            r.ReadBool())),
        reader.ReadBool());

    private static void WriteColumn(ref ValueWriter writer, int column) => writer.WriteU32((uint)column);

    private static int ReadColumn(ref ValueReader reader)
    {
        int at = reader.Position;
        uint column = reader.ReadU32();
        if (column > int.MaxValue) throw new AbiDecodeException($"column index {column} is out of range", at);
        return (int)column;
    }

    internal static void WriteReducer(ref ValueWriter writer, ReducerSchema reducer)
    {
        writer.WriteString(reducer.Name);
        WriteList(ref writer, reducer.Args, WriteField);
    }

    internal static ReducerSchema ReadReducer(ref ValueReader reader) => new(reader.ReadString(), ReadList(ref reader, ReadField));

    internal static void WriteQuery(ref ValueWriter writer, QuerySchema query)
    {
        writer.WriteString(query.Name);
        WriteList(ref writer, query.Args, WriteField);
        WriteType(ref writer, query.Returns);
    }

    internal static QuerySchema ReadQuery(ref ValueReader reader) =>
        new(reader.ReadString(), ReadList(ref reader, ReadField), ReadType(ref reader));

    internal static void WriteSubscription(ref ValueWriter writer, SubscriptionSchema subscription)
    {
        writer.WriteString(subscription.Reducer);
        switch (subscription.Event)
        {
            case InitEvent:
                writer.WriteVariant(0);
                break;
            case TableEvent e:
                writer.WriteVariant(1);
                WriteOptionalString(ref writer, e.Node);
                writer.WriteString(e.Module);
                writer.WriteString(e.Table);
                writer.WriteVariant((uint)e.Kind);
                break;
        }
    }

    internal static SubscriptionSchema ReadSubscription(ref ValueReader reader)
    {
        string reducer = reader.ReadString();
        if (reader.ReadVariant(2) == 0) return new SubscriptionSchema(reducer, ModuleEvent.Init);
        return new SubscriptionSchema(reducer, new TableEvent(
            ReadOptionalString(ref reader),
            reader.ReadString(),
            reader.ReadString(),
            (TableEventKind)reader.ReadVariant(3)));
    }

    internal static void WriteDependency(ref ValueWriter writer, DependencySchema dependency)
    {
        writer.WriteString(dependency.Module);
        writer.WriteString(dependency.Version);
        WriteOptionalString(ref writer, dependency.Node);
    }

    internal static DependencySchema ReadDependency(ref ValueReader reader) =>
        new(reader.ReadString(), reader.ReadString(), ReadOptionalString(ref reader));

    private static void WriteOptionalString(ref ValueWriter writer, string? value)
    {
        writer.WriteOptionTag(value is not null);
        if (value is not null) writer.WriteString(value);
    }

    private static string? ReadOptionalString(ref ValueReader reader) => reader.ReadOptionTag() ? reader.ReadString() : null;

    internal static void WriteList<T>(ref ValueWriter writer, EquatableArray<T> items, Writer<T> write)
    {
        writer.WriteLength((uint)items.Count);
        foreach (var item in items) write(ref writer, item);
    }

    internal static EquatableArray<T> ReadList<T>(ref ValueReader reader, Reader<T> read)
    {
        int count = reader.ReadCount();
        var items = new T[count];
        for (int i = 0; i < count; i++) items[i] = read(ref reader);
        return items;
    }
}
