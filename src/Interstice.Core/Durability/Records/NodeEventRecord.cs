using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Records;

/// <summary>
/// A change to which modules' tables a node has, logged in commit order with the transactions
/// so that the log alone rebuilds the node: a module loaded (its tables created), a module
/// removed (its tables dropped). Recovery hands each to an <see cref="Recovery.IRecoveryHandler"/>;
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
        if (kind is not (LogRecordKind.ModuleLoaded or LogRecordKind.ModuleRemoved)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a node event");
        int start = reader.Position;
        string module = reader.ReadString("module name");
        // Checked here, not left to the constructor: in a record, an empty name is damage, not a wrong argument.
        if (module.Length == 0) throw new MalformedDataException("empty module name", start);
        NodeEventRecord record = kind == LogRecordKind.ModuleLoaded
            ? new ModuleLoadedRecord(transactionId, timestamp, module, reader.ReadBytes("content hash").ToArray(), reader.ReadBytes("schema").ToArray())
            : new ModuleRemovedRecord(transactionId, timestamp, module);
        reader.ExpectEnd($"a {kind} record");
        return record;
    }
}

/// <summary>A module was loaded and its tables created. The log does not interpret the hash or the schema; the node does, on recovery.</summary>
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

/// <summary>
/// A module was removed: its tables and their rows are gone. (Unloading a module that keeps its
/// tables is not an event: the tables stay, and the node records that the module is not
/// loaded in its system table <c>interstice.modules</c>, an ordinary logged transaction.)
/// </summary>
public sealed class ModuleRemovedRecord(ulong transactionId, long timestamp, string module) : NodeEventRecord(transactionId, timestamp, module)
{
    public override LogRecordKind Kind => LogRecordKind.ModuleRemoved;

    internal override int PayloadSize => FieldWriter.StringSize(Module);

    internal override void WritePayload(ref FieldWriter writer) => writer.WriteString(Module);
}
