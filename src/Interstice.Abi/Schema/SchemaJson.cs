using System.Text.Json;
using Interstice.Abi.Types;

namespace Interstice.Abi.Schema;

/// <summary>
/// The schema's JSON form (docs/abi.md section 7): the same information as the binary form, in
/// canonical order, with type expressions as text and columns by name. It is the file Rust
/// bindings are generated from (<c>interstice schema module.wasm --json --out FILE</c>).
/// </summary>
public static class SchemaJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The JSON text of <paramref name="schema"/>, indented, ending with a newline.</summary>
    public static string Format(ModuleSchema schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            Write(writer, schema);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="schema"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, ModuleSchema schema)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        writer.WriteStartObject();
        writer.WriteNumber("abi_version", schema.AbiVersion);
        writer.WriteString("name", schema.Name);
        writer.WriteString("version", schema.Version);
        writer.WriteString("visibility", schema.Visibility == Visibility.Public ? "public" : "private");
        writer.WriteStartArray("authorities");
        foreach (string authority in schema.Authorities) writer.WriteStringValue(authority);
        writer.WriteEndArray();

        writer.WriteStartArray("types");
        foreach (var definition in schema.Types) WriteTypeDefinition(writer, definition);
        writer.WriteEndArray();

        writer.WriteStartArray("tables");
        foreach (var table in schema.Tables) WriteTable(writer, table, schema.RowType(table));
        writer.WriteEndArray();

        writer.WriteStartArray("reducers");
        foreach (var reducer in schema.Reducers)
        {
            writer.WriteStartObject();
            writer.WriteString("name", reducer.Name);
            WriteFields(writer, "args", reducer.Args);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("queries");
        foreach (var query in schema.Queries)
        {
            writer.WriteStartObject();
            writer.WriteString("name", query.Name);
            WriteFields(writer, "args", query.Args);
            writer.WriteString("returns", TypeSyntax.Format(query.Returns));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("subscriptions");
        foreach (var subscription in schema.Subscriptions)
        {
            writer.WriteStartObject();
            writer.WriteString("reducer", subscription.Reducer);
            writer.WriteString("on", subscription.Event.ToString());
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        writer.WriteStartArray("dependencies");
        foreach (var dependency in schema.Dependencies)
        {
            writer.WriteStartObject();
            writer.WriteString("module", dependency.Module);
            writer.WriteString("version", dependency.Version);
            if (dependency.Node is null) writer.WriteNull("node");
            else writer.WriteString("node", dependency.Node);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTypeDefinition(Utf8JsonWriter writer, TypeDefinition definition)
    {
        writer.WriteStartObject();
        writer.WriteString("name", definition.Name);
        switch (definition)
        {
            case StructDefinition s:
                WriteFields(writer, "struct", s.Fields);
                break;
            case EnumDefinition e:
                writer.WriteStartArray("enum");
                foreach (var variant in e.Variants)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", variant.Name);
                    if (variant.Kind == VariantKind.Tuple)
                    {
                        writer.WriteStartArray("tuple");
                        foreach (var field in variant.Fields) writer.WriteStringValue(TypeSyntax.Format(field.Type));
                        writer.WriteEndArray();
                    }
                    else if (variant.Kind == VariantKind.Struct)
                    {
                        WriteFields(writer, "struct", variant.Fields);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
        }
        writer.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter writer, string property, EquatableArray<Field> fields)
    {
        writer.WriteStartArray(property);
        foreach (var field in fields)
        {
            writer.WriteStartObject();
            writer.WriteString("name", field.Name);
            writer.WriteString("type", TypeSyntax.Format(field.Type));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteTable(Utf8JsonWriter writer, TableSchema table, StructDefinition? row)
    {
        string Column(int index) => row is not null && (uint)index < (uint)row.Fields.Count
            ? row.Fields[index].Name
            : throw new ArgumentException($"table '{table.Name}': column {index} does not exist in its row type '{table.Row}'");

        writer.WriteStartObject();
        writer.WriteString("name", table.Name);
        writer.WriteString("row", table.Row);
        writer.WriteString("primary_key", Column(table.PrimaryKey));
        writer.WriteStartArray("auto_inc");
        foreach (int column in table.AutoInc) writer.WriteStringValue(Column(column));
        writer.WriteEndArray();
        writer.WriteStartArray("indexes");
        foreach (var index in table.Indexes)
        {
            writer.WriteStartObject();
            writer.WriteString("name", index.Name);
            writer.WriteStartArray("columns");
            foreach (int column in index.Columns) writer.WriteStringValue(Column(column));
            writer.WriteEndArray();
            writer.WriteString("kind", index.Kind == IndexKind.BTree ? "btree" : "hash");
            writer.WriteBoolean("unique", index.Unique);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("ephemeral", table.Ephemeral);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Parses the JSON form into a canonical schema and validates it. Throws
    /// <see cref="FormatException"/> naming the JSON path for malformed JSON or a wrong shape, and
    /// <see cref="SchemaException"/> for an invalid schema.
    /// </summary>
    public static ModuleSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"schema JSON is not valid JSON: {e.Message}", e);
        }
        ModuleSchema schema;
        using (document) schema = Read(new Node(document.RootElement, "$")).Canonicalize();
        SchemaValidator.ThrowIfInvalid(schema);
        return schema;
    }

    private static ModuleSchema Read(Node root)
    {
        uint abiVersion = root.Get("abi_version").UInt32();
        string visibility = root.Get("visibility").String();
        var types = root.Get("types").Array(ReadTypeDefinition);
        var typeTable = new TypeTable(types);
        return new ModuleSchema(
            abiVersion,
            root.Get("name").String(),
            root.Get("version").String(),
            visibility switch
            {
                "private" => Visibility.Private,
                "public" => Visibility.Public,
                _ => throw root.Get("visibility").Error($"expected \"private\" or \"public\", found \"{visibility}\""),
            },
            root.Get("authorities").Array(static n => n.String()),
            types,
            root.Get("tables").Array(n => ReadTable(n, typeTable)),
            root.Get("reducers").Array(static n => new ReducerSchema(n.Get("name").String(), n.Get("args").Array(ReadField))),
            root.Get("queries").Array(static n => new QuerySchema(n.Get("name").String(), n.Get("args").Array(ReadField), n.Get("returns").Type())),
            root.Get("subscriptions").Array(static n => new SubscriptionSchema(n.Get("reducer").String(), n.Get("on").Event())),
            root.Get("dependencies").Array(static n => new DependencySchema(n.Get("module").String(), n.Get("version").String(), n.Get("node").NullableString())));
    }

    private static TypeDefinition ReadTypeDefinition(Node node)
    {
        string name = node.Get("name").String();
        bool isStruct = node.Has("struct");
        bool isEnum = node.Has("enum");
        if (isStruct == isEnum) throw node.Error("a type definition has either \"struct\" (its fields) or \"enum\" (its variants)");
        if (isStruct) return new StructDefinition(name, node.Get("struct").Array(ReadField));
        return new EnumDefinition(name, node.Get("enum").Array(static v =>
        {
            string variantName = v.Get("name").String();
            if (v.Has("tuple") && v.Has("struct")) throw v.Error("a variant has \"tuple\" or \"struct\", not both");
            if (v.Has("tuple"))
            {
                var types = v.Get("tuple").Array(static t => t.Type());
                return Variant.Tuple(variantName, types.AsSpan());
            }
            if (v.Has("struct")) return new Variant(variantName, VariantKind.Struct, v.Get("struct").Array(ReadField));
            return Variant.Unit(variantName);
        }));
    }

    private static Field ReadField(Node node) => new(node.Get("name").String(), node.Get("type").Type());

    private static TableSchema ReadTable(Node node, TypeTable types)
    {
        string name = node.Get("name").String();
        string row = node.Get("row").String();
        var rowType = types.Find(row) as StructDefinition
            ?? throw node.Get("row").Error($"row type '{row}' is not a struct defined in \"types\"");

        // Columns are named once per key and index: a lookup, not a scan of the row's fields each time.
        var columns = new Dictionary<string, int>(rowType.Fields.Count, StringComparer.Ordinal);
        for (int i = 0; i < rowType.Fields.Count; i++) columns.TryAdd(rowType.Fields[i].Name, i);

        int Column(Node column)
        {
            string columnName = column.String();
            return columns.TryGetValue(columnName, out int i) ? i : throw column.Error($"'{columnName}' is not a column of table '{name}' (row type '{row}')");
        }

        return new TableSchema(
            name,
            row,
            Column(node.Get("primary_key")),
            node.Get("auto_inc").Array(Column),
            node.Get("indexes").Array(index =>
            {
                string kind = index.Get("kind").String();
                return new IndexSchema(
                    index.Get("name").String(),
                    index.Get("columns").Array(Column),
                    kind switch
                    {
                        "hash" => IndexKind.Hash,
                        "btree" => IndexKind.BTree,
                        _ => throw index.Get("kind").Error($"expected \"hash\" or \"btree\", found \"{kind}\""),
                    },
                    index.Get("unique").Bool());
            }),
            node.Get("ephemeral").Bool());
    }

    /// <summary>A JSON element with its path, for precise errors.</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        public FormatException Error(string message) => new($"schema JSON at {Path}: {message}");

        public bool Has(string property) =>
            Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(property, out _);

        public Node Get(string property)
        {
            if (Element.ValueKind != JsonValueKind.Object) throw Error("expected an object");
            if (!Element.TryGetProperty(property, out var value)) throw Error($"missing property \"{property}\"");
            return new Node(value, $"{Path}.{property}");
        }

        public string String() =>
            Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error($"expected a string, found {Element.ValueKind}");

        public string? NullableString() => Element.ValueKind == JsonValueKind.Null ? null : String();

        public bool Bool() => Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Element.ValueKind}"),
        };

        public uint UInt32() =>
            Element.ValueKind == JsonValueKind.Number && Element.TryGetUInt32(out uint value) ? value : throw Error("expected a whole number");

        public AbiType Type()
        {
            try
            {
                return TypeSyntax.Parse(String());
            }
            catch (FormatException e)
            {
                throw Error(e.Message);
            }
        }

        public ModuleEvent Event()
        {
            try
            {
                return ModuleEvent.Parse(String());
            }
            catch (FormatException e)
            {
                throw Error(e.Message);
            }
        }

        public EquatableArray<T> Array<T>(Func<Node, T> read)
        {
            if (Element.ValueKind != JsonValueKind.Array) throw Error($"expected an array, found {Element.ValueKind}");
            var items = new T[Element.GetArrayLength()];
            int i = 0;
            foreach (var item in Element.EnumerateArray())
            {
                items[i] = read(new Node(item, $"{Path}[{i}]"));
                i++;
            }
            return items;
        }
    }
}
