using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Records;

/// <summary>
/// A change to which modules and tables a node has, logged in commit order with the
/// transactions so that the log alone rebuilds the node: module loaded, module unloaded, table
/// created, table dropped. Recovery hands each to an <see cref="Recovery.IRecoveryHandler"/>;
/// the log also keeps the events still in effect (its <see cref="NodeCatalog"/>) and writes
/// them into every snapshot.
/// </summary>
public abstract class NodeEventRecord : LogRecord
{
    private protected NodeEventRecord(ulong transactionId, long timestamp, string module) : base(transactionId, timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        Module = module;
    }

    /// <summary>The module concerned.</summary>
    public string Module { get; }

    internal abstract int PayloadSize { get; }

    internal abstract void WritePayload(ref FieldWriter writer);

    /// <summary>Reads the payload of a node event of <paramref name="kind"/> (after the record header).</summary>
    internal static NodeEventRecord Read(LogRecordKind kind, ulong transactionId, long timestamp, ref FieldReader reader)
    {
        NodeEventRecord record = kind switch
        {
            LogRecordKind.ModuleLoaded => new ModuleLoadedRecord(transactionId, timestamp,
                reader.ReadString("module name"), reader.ReadBytes("content hash").ToArray(), reader.ReadBytes("schema").ToArray()),
            LogRecordKind.ModuleUnloaded => new ModuleUnloadedRecord(transactionId, timestamp, reader.ReadString("module name")),
            LogRecordKind.TableCreated => new TableCreatedRecord(transactionId, timestamp,
                reader.ReadString("module name"), reader.ReadString("table name"), reader.ReadBytes("table definition").ToArray()),
            LogRecordKind.TableDropped => new TableDroppedRecord(transactionId, timestamp, reader.ReadString("module name"), reader.ReadString("table name")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a node event"),
        };
        reader.ExpectEnd($"a {kind} record");
        return record;
    }
}

/// <summary>A module was loaded. The log does not interpret the hash or the schema; the node does, on recovery.</summary>
public sealed class ModuleLoadedRecord : NodeEventRecord
{
    public ModuleLoadedRecord(ulong transactionId, long timestamp, string module, ReadOnlyMemory<byte> contentHash, ReadOnlyMemory<byte> schema)
        : base(transactionId, timestamp, module)
    {
        ContentHash = contentHash;
        Schema = schema;
    }

    public override LogRecordKind Kind => LogRecordKind.ModuleLoaded;

    /// <summary>The hash of the module's binary (the node's choice of hash; it finds the binary by it).</summary>
    public ReadOnlyMemory<byte> ContentHash { get; }

    /// <summary>The module's schema, in the node's encoding.</summary>
    public ReadOnlyMemory<byte> Schema { get; }

    internal override int PayloadSize => FieldWriter.StringSize(Module) + FieldWriter.BytesSize(ContentHash.Length) + FieldWriter.BytesSize(Schema.Length);

    internal override void WritePayload(ref FieldWriter writer)
    {
        writer.WriteString(Module);
        writer.WriteBytes(ContentHash.Span);
        writer.WriteBytes(Schema.Span);
    }
}

/// <summary>A module was unloaded: its tables are gone.</summary>
public sealed class ModuleUnloadedRecord(ulong transactionId, long timestamp, string module) : NodeEventRecord(transactionId, timestamp, module)
{
    public override LogRecordKind Kind => LogRecordKind.ModuleUnloaded;

    internal override int PayloadSize => FieldWriter.StringSize(Module);

    internal override void WritePayload(ref FieldWriter writer) => writer.WriteString(Module);
}

/// <summary>A table was created apart from its module's load (the definition is the node's encoding).</summary>
public sealed class TableCreatedRecord : NodeEventRecord
{
    public TableCreatedRecord(ulong transactionId, long timestamp, string module, string table, ReadOnlyMemory<byte> definition)
        : base(transactionId, timestamp, module)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        Table = table;
        Definition = definition;
    }

    public override LogRecordKind Kind => LogRecordKind.TableCreated;

    public string Table { get; }

    public ReadOnlyMemory<byte> Definition { get; }

    internal override int PayloadSize => FieldWriter.StringSize(Module) + FieldWriter.StringSize(Table) + FieldWriter.BytesSize(Definition.Length);

    internal override void WritePayload(ref FieldWriter writer)
    {
        writer.WriteString(Module);
        writer.WriteString(Table);
        writer.WriteBytes(Definition.Span);
    }
}

/// <summary>A table was dropped apart from its module's unload.</summary>
public sealed class TableDroppedRecord : NodeEventRecord
{
    public TableDroppedRecord(ulong transactionId, long timestamp, string module, string table) : base(transactionId, timestamp, module)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        Table = table;
    }

    public override LogRecordKind Kind => LogRecordKind.TableDropped;

    public string Table { get; }

    internal override int PayloadSize => FieldWriter.StringSize(Module) + FieldWriter.StringSize(Table);

    internal override void WritePayload(ref FieldWriter writer)
    {
        writer.WriteString(Module);
        writer.WriteString(Table);
    }
}
