using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// Reads a data directory's log for people (<c>interstice log inspect</c>): each record with
/// its inputs and its row changes decoded by the schema of the module that wrote them. Rows are
/// read with the schema of the module's logged load (the log's module-load records, and for
/// modules loaded before the oldest segment left, the newest valid snapshot's catalog): a reload
/// keeps the tables exactly as declared. A call's arguments are read with the schema of the
/// binary the module ran when it was made: the one its row of <c>interstice.modules</c> named
/// then, whose schema is read from <c>modules/&lt;sha-256&gt;.wasm</c> when no load logged it;
/// a call whose binary cannot be told (the log before the snapshot is damaged) or read shows its
/// arguments undecoded and says why. Reads only; damage throws <see cref="CorruptDataException"/> naming the segment and offset.
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
        var binaries = new RunningBinaries(dataDirectory);
        var start = SnapshotStart.Read(dataDirectory);
        foreach (var loaded in start.Loaded) Loaded(loaded, schemas, binaries);
        // The listing reads the same segments, so it stops where the log before the snapshot stopped being readable: what is unknown there stays unknown.
        if (start.OthersNotKnown is { } unknown) binaries.NoneKnown(unknown);
        foreach (var (module, hash) in start.Running) binaries.Runs(module, hash);
        foreach (var (module, why) in start.NotKnown) binaries.NotKnown(module, why);
        var tables = new Dictionary<(string, string), TableBinding?>();

        foreach (var entry in LogReader.Read(dataDirectory, tornTail: tornTail))
        {
            var record = entry.Record;
            if (record is ModuleLoadedRecord loaded)
            {
                Loaded(loaded, schemas, binaries);
                tables.Clear();
            }
            if (record.TransactionId > filter.To) yield break;
            var shown = !filter.Includes(record.TransactionId) ? null : record switch
            {
                TransactionRecord transaction => Transaction(entry, transaction, filter, schemas, tables, binaries),
                ModuleLoadedRecord load => filter.Table is null && (filter.Module ?? load.Module) == load.Module
                    ? Event(entry, "module loaded", load.Module, Convert.ToHexStringLower(load.ContentHash.Span))
                    : null,
                NodeEventRecord removed => filter.Table is null && (filter.Module ?? removed.Module) == removed.Module
                    ? Event(entry, "module removed", removed.Module, null)
                    : null,
                _ => null,
            };
            // Followed only after the record is decoded: its own call ran under the binary the module had before it.
            if (record is TransactionRecord changed) FollowReloads(changed, binaries);
            if (shown != null) yield return shown;
        }
    }

    private static InspectedRecord Event(LogEntry entry, string kind, string module, string? hash) =>
        new(entry.Record.TransactionId, entry.Record.Timestamp, entry.Segment, entry.Offset, kind, null, null, module, hash, [], [], null);

    private static InspectedRecord? Transaction(LogEntry entry, TransactionRecord record, InspectionFilter filter,
        Dictionary<string, ModuleSchema> schemas, Dictionary<(string, string), TableBinding?> tables, RunningBinaries binaries)
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

        string? arguments = null;
        if (inputs is { Function: { } function })
        {
            if (binaries.ForCall(inputs.Module, out string? unreadable) is { } schema) arguments = Arguments(schema, function, inputs.Arguments.Span);
            else if (unreadable != null) problems.Add(unreadable);
        }
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

    /// <summary>A module load: its schema reads the module's rows and, keyed by its binary's hash, its calls.</summary>
    private static void Loaded(ModuleLoadedRecord loaded, Dictionary<string, ModuleSchema> schemas, RunningBinaries binaries)
    {
        ModuleSchema? schema;
        try
        {
            schemas[loaded.Module] = schema = SchemaBinary.Decode(loaded.Schema.Span);
        }
        catch (Exception e) when (e is AbiDecodeException or SchemaException)
        {
            schemas.Remove(loaded.Module);
            schema = null;
        }
        binaries.Loaded(loaded.Module, Convert.ToHexStringLower(loaded.ContentHash.Span), schema);
    }

    /// <summary>A change of a module's row of <c>interstice.modules</c> names the binary it runs from then on (a reload names another).</summary>
    private static void FollowReloads(TransactionRecord record, RunningBinaries binaries)
    {
        foreach (var change in record.Rows)
        {
            if (change.Module != SystemModule.Name || change.Table != SystemModule.ModulesTable || change.NewRow.IsEmpty) continue;
            try
            {
                var entry = ModuleTable.Read(change.NewRow.Span);
                binaries.Runs(entry.Name, entry.Hash);
            }
            catch (AbiDecodeException)
            {
                // The row is shown undecoded with its problem; the module's calls keep the binary known before.
            }
        }
    }
}
