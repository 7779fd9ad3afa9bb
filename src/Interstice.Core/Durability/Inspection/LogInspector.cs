using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// Reads a data directory's log for people (<c>interstice log inspect</c>): each record with
/// its inputs and its row changes decoded by the schema of the module that wrote them. The
/// schemas come from the log's own module-load records, and for modules loaded before the
/// oldest segment left, from the newest valid snapshot's catalog. Reads only; damage throws
/// <see cref="CorruptDataException"/> naming the segment and offset.
/// </summary>
public static class LogInspector
{
    /// <param name="dataDirectory">The node's data directory.</param>
    /// <param name="filter">Which records to show.</param>
    /// <param name="tornTail">Told when the log ends with a torn tail (see <see cref="LogReader.Read"/>).</param>
    public static IEnumerable<InspectedRecord> Read(string dataDirectory, InspectionFilter filter, Action<TornTail>? tornTail = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(filter);
        if (!Directory.Exists(dataDirectory))
        {
            new DataDirectory(dataDirectory).ThrowIfNotADirectory(dataDirectory);
            throw new DirectoryNotFoundException($"there is no data directory {dataDirectory}");
        }
        var schemas = new Dictionary<string, ModuleSchema>(StringComparer.Ordinal) { [SystemModule.Name] = SystemModule.Schema };
        foreach (var loaded in SnapshotCatalog(dataDirectory)) TryAddSchema(schemas, loaded);
        var tables = new Dictionary<(string, string), TableBinding?>();

        foreach (var entry in LogReader.Read(dataDirectory, tornTail: tornTail))
        {
            var record = entry.Record;
            if (record is ModuleLoadedRecord loaded)
            {
                TryAddSchema(schemas, loaded);
                tables.Clear();
            }
            if (record.TransactionId > filter.To) yield break;
            if (!filter.Includes(record.TransactionId)) continue;
            var shown = record switch
            {
                TransactionRecord transaction => Transaction(entry, transaction, filter, schemas, tables),
                ModuleLoadedRecord load => filter.Table is null && (filter.Module ?? load.Module) == load.Module
                    ? Event(entry, "module loaded", load.Module, Convert.ToHexStringLower(load.ContentHash.Span))
                    : null,
                NodeEventRecord removed => filter.Table is null && (filter.Module ?? removed.Module) == removed.Module
                    ? Event(entry, "module removed", removed.Module, null)
                    : null,
                _ => null,
            };
            if (shown != null) yield return shown;
        }
    }

    private static InspectedRecord Event(LogEntry entry, string kind, string module, string? hash) =>
        new(entry.Record.TransactionId, entry.Record.Timestamp, entry.Segment, entry.Offset, kind, null, null, module, hash, [], [], null);

    private static InspectedRecord? Transaction(LogEntry entry, TransactionRecord record, InspectionFilter filter,
        Dictionary<string, ModuleSchema> schemas, Dictionary<(string, string), TableBinding?> tables)
    {
        var problems = new List<string>();
        CommitInputs? inputs = null;
        try
        {
            inputs = CommitInputs.Decode(record.Inputs.Span);
        }
        catch (FormatException e)
        {
            problems.Add($"inputs: {e.Message}");
        }

        var changes = new List<InspectedChange>();
        foreach (var change in record.Rows)
        {
            if (!filter.Matches(change.Module, change.Table)) continue;
            var table = Table(change.Module, change.Table, schemas, tables);
            changes.Add(new InspectedChange(change.Module, change.Table, change.Kind,
                Row(table, change.OldRow, change, problems), Row(table, change.NewRow, change, problems)));
        }
        var sequences = new List<InspectedSequence>();
        foreach (var sequence in record.Sequences)
        {
            if (filter.Matches(sequence.Module, sequence.Table)) sequences.Add(new InspectedSequence(sequence.Module, sequence.Table, sequence.NextValue));
        }
        bool called = filter.Table is null && filter.Module is not null && inputs?.Module == filter.Module;
        if (changes.Count == 0 && sequences.Count == 0 && !called && (filter.Module is not null || filter.Table is not null)) return null;

        string? arguments = inputs is { Function: { } function } && schemas.TryGetValue(inputs.Module, out var schema)
            ? Arguments(schema, function, inputs.Arguments.Span)
            : null;
        return new InspectedRecord(record.TransactionId, record.Timestamp, entry.Segment, entry.Offset, "transaction", inputs, arguments, null, null,
            changes, sequences, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>The arguments as JSON when they are those of one of the module's reducers (handlers of table events get rows); otherwise null.</summary>
    private static string? Arguments(ModuleSchema schema, string function, ReadOnlySpan<byte> arguments)
    {
        if (schema.FindReducer(function) is not { } reducer) return null;
        var type = reducer.ArgsType;
        try
        {
            return ValueJson.Format(type, ValueCodec.Decode(type, arguments, schema.TypeTable), schema.TypeTable);
        }
        catch (AbiDecodeException)
        {
            return null;
        }
    }

    private static string? Row(TableBinding? table, ReadOnlyMemory<byte> row, LoggedRowChange change, List<string> problems)
    {
        if (row.IsEmpty) return null;
        if (table != null)
        {
            try
            {
                return table.FormatRow(row.Span);
            }
            catch (AbiDecodeException e)
            {
                problems.Add($"a row of {change.Module}.{change.Table} does not decode: {e.Message}");
            }
        }
        else
        {
            problems.Add($"no schema known for {change.Module}.{change.Table}: rows shown in hex");
        }
        return "0x" + Convert.ToHexStringLower(row.Span);
    }

    private static TableBinding? Table(string module, string name, Dictionary<string, ModuleSchema> schemas, Dictionary<(string, string), TableBinding?> tables)
    {
        if (tables.TryGetValue((module, name), out var table)) return table;
        table = null;
        if (schemas.TryGetValue(module, out var schema) && schema.FindTable(name) is var id and >= 0)
            table = new TableBinding(module, schema.Tables[id], schema);
        return tables[(module, name)] = table;
    }

    private static void TryAddSchema(Dictionary<string, ModuleSchema> schemas, ModuleLoadedRecord loaded)
    {
        try
        {
            schemas[loaded.Module] = SchemaBinary.Decode(loaded.Schema.Span);
        }
        catch (Exception e) when (e is AbiDecodeException or SchemaException)
        {
            schemas.Remove(loaded.Module);
        }
    }

    /// <summary>The module loads in the newest valid snapshot's catalog (none when there is no valid snapshot).</summary>
    private static IEnumerable<ModuleLoadedRecord> SnapshotCatalog(string dataDirectory)
    {
        var snapshots = new DataDirectory(dataDirectory).ListSnapshots();
        for (int i = snapshots.Count - 1; i >= 0; i--)
        {
            var sink = new CatalogSink();
            try
            {
                SnapshotReader.Read(snapshots[i], sink);
            }
            catch (CorruptDataException)
            {
                continue;
            }
            return sink.Loaded;
        }
        return [];
    }

    /// <summary>Keeps a snapshot's catalog and skips its rows.</summary>
    private sealed class CatalogSink : ISnapshotSink
    {
        public List<ModuleLoadedRecord> Loaded { get; } = [];

        public void Catalog(NodeCatalog catalog) => Loaded.AddRange(catalog.Modules);

        public void Table(string module, string name, ulong nextSequence, long rowCount, long offset) { }

        public void Row(ReadOnlySpan<byte> row, long offset) { }
    }
}
