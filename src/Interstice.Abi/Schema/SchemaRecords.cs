using System.Buffers;
using Interstice.Abi.Encoding;

namespace Interstice.Abi.Schema;

/// <summary>
/// Reads and writes the records of the <c>interstice.schema</c> custom section, where a module
/// carries its schema (docs/abi.md section 5): <c>kind: u8, length: LEB128 u32, body</c>, in any order.
/// </summary>
public static class SchemaRecords
{
    /// <summary>The name of the custom section holding the records.</summary>
    public const string SectionName = "interstice.schema";

    /// <summary>
    /// Assembles the schema from the concatenated payloads of a module's <c>interstice.schema</c>
    /// sections: splits the records, merges identical ones, sorts into canonical form and
    /// validates. Throws <see cref="AbiDecodeException"/> for malformed records (with the record's
    /// offset) and <see cref="SchemaException"/> for an invalid schema.
    /// </summary>
    public static ModuleSchema Assemble(ReadOnlySpan<byte> payload)
    {
        SchemaBinary.Header? header = null;
        var types = new List<Types.TypeDefinition>();
        var tables = new List<TableSchema>();
        var reducers = new List<ReducerSchema>();
        var queries = new List<QuerySchema>();
        var subscriptions = new List<SubscriptionSchema>();
        var dependencies = new List<DependencySchema>();

        var reader = new ValueReader(payload);
        while (!reader.AtEnd)
        {
            int recordOffset = reader.Position;
            byte kind = reader.ReadU8();
            if (kind is < (byte)SchemaRecordKind.Module or > (byte)SchemaRecordKind.Dependency)
                throw new AbiDecodeException($"unknown schema record kind {kind}", recordOffset);
            var body = reader.ReadBytes();
            int bodyOffset = reader.Position - body.Length;
            var bodyReader = new ValueReader(body);
            try
            {
                switch ((SchemaRecordKind)kind)
                {
                    case SchemaRecordKind.Module:
                        var h = SchemaBinary.ReadHeader(ref bodyReader);
                        if (header is not null && header != h)
                            throw new SchemaException([$"the section has two module header records (the second at byte {recordOffset}): a module is built from one interstice_module!()"]);
                        header = h;
                        break;
                    case SchemaRecordKind.Type: types.Add(SchemaBinary.ReadTypeDefinition(ref bodyReader)); break;
                    case SchemaRecordKind.Table: tables.Add(SchemaBinary.ReadTable(ref bodyReader)); break;
                    case SchemaRecordKind.Reducer: reducers.Add(SchemaBinary.ReadReducer(ref bodyReader)); break;
                    case SchemaRecordKind.Query: queries.Add(SchemaBinary.ReadQuery(ref bodyReader)); break;
                    case SchemaRecordKind.Subscription: subscriptions.Add(SchemaBinary.ReadSubscription(ref bodyReader)); break;
                    default: dependencies.Add(SchemaBinary.ReadDependency(ref bodyReader)); break;
                }
                bodyReader.ExpectEnd();
            }
            catch (AbiDecodeException e)
            {
                throw new AbiDecodeException($"{(SchemaRecordKind)kind} record starting at byte {recordOffset}: {e.Reason}", bodyOffset + e.Offset);
            }
        }

        if (header is null) throw new SchemaException(["the section has no module header record: the module must invoke interstice_module!()"]);
        var schema = new ModuleSchema(
            header.AbiVersion, header.Name, header.Version, header.Visibility, header.Authorities,
            types.ToArray(), tables.ToArray(), reducers.ToArray(), queries.ToArray(), subscriptions.ToArray(), dependencies.ToArray())
            .Canonicalize();
        SchemaValidator.ThrowIfInvalid(schema);
        return schema;
    }

    /// <summary>Writes <paramref name="schema"/> as a sequence of records, one per item, in the schema's order.</summary>
    public static byte[] Encode(ModuleSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var output = new ArrayBufferWriter<byte>();
        Append(output, SchemaRecordKind.Module, SchemaBinary.Header.Of(schema), SchemaBinary.WriteHeader);
        foreach (var item in schema.Types) Append(output, SchemaRecordKind.Type, item, SchemaBinary.WriteTypeDefinition);
        foreach (var item in schema.Tables) Append(output, SchemaRecordKind.Table, item, SchemaBinary.WriteTable);
        foreach (var item in schema.Reducers) Append(output, SchemaRecordKind.Reducer, item, SchemaBinary.WriteReducer);
        foreach (var item in schema.Queries) Append(output, SchemaRecordKind.Query, item, SchemaBinary.WriteQuery);
        foreach (var item in schema.Subscriptions) Append(output, SchemaRecordKind.Subscription, item, SchemaBinary.WriteSubscription);
        foreach (var item in schema.Dependencies) Append(output, SchemaRecordKind.Dependency, item, SchemaBinary.WriteDependency);
        return output.WrittenSpan.ToArray();
    }

    private static void Append<T>(ArrayBufferWriter<byte> output, SchemaRecordKind kind, T item, SchemaBinary.Writer<T> write)
    {
        var body = new ArrayBufferWriter<byte>();
        var bodyWriter = new ValueWriter(body);
        write(ref bodyWriter, item);
        var writer = new ValueWriter(output);
        writer.WriteU8((byte)kind);
        writer.WriteBytes(body.WrittenSpan);
    }
}
