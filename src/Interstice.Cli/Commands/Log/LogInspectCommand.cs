using System.Globalization;
using System.Text.Json;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Inspection;
using Interstice.Core.Durability.Log;
using Interstice.Core.Transactions;

namespace Interstice.Cli.Commands.Log;

/// <summary><c>interstice log inspect</c>: prints a data directory's logged transactions in readable form.</summary>
internal sealed class LogInspectCommand : ICommand
{
    public string Name => "log inspect";

    public string Summary => "Print a node's logged transactions (inputs and row changes), filtered by module, table and range";

    public string Usage => """
        usage: interstice log inspect --data-dir DIR [--module M] [--table T] [--from N] [--to N] [--json]

        Reads the commit log of the data directory DIR (archived segments first) and prints each
        record: its transaction id, time, what started it (reducer, caller, arguments) and its
        row changes, rows decoded by the schema of the module that wrote them.

          --data-dir DIR  the node's data directory (it holds log/)
          --module M      only records concerning module M (its rows changed, it was called or loaded)
          --table T       only changes to table T (with --module, M's table T)
          --from N        only transactions N and later
          --to N          only transactions up to N
          --json          one JSON object per record, one per line
        Only reads: it may run while a node uses DIR, and may then report the record being
        written at the end as a torn tail. A torn tail (an invalid or incomplete record at the
        end, which a start cuts away) is noted on stderr after the records before it.
        Exit codes: 0 done (a torn tail included); 1 when the log is damaged (after printing
        what comes before the damage) or a file cannot be read; 2 wrong command line.
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir", "module", "table", "from", "to"], ["json"]);
        // Names and problems the output quotes come from the log, which may be damaged or hostile:
        // the text escapes their control characters (JSON escapes them itself).
        if (!arguments.Has("json")) stdout = new ControlEscapingWriter(stdout);
        stderr = new ControlEscapingWriter(stderr);
        if (arguments.Positional.Count != 0) throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        string directory = arguments.GetPath("data-dir") ?? throw new UsageException("--data-dir DIR is required");
        var filter = new InspectionFilter(arguments.Get("module"), arguments.Get("table"),
            (ulong)(arguments.GetInt64("from", 0) ?? 0), (ulong)(arguments.GetInt64("to", 0) ?? long.MaxValue));
        if (filter.From > filter.To) throw new UsageException($"--from {filter.From} is after --to {filter.To}");
        bool json = arguments.Has("json");

        long shown = 0;
        TornTail? torn = null;
        try
        {
            foreach (var record in LogInspector.Read(directory, filter, tail => torn = tail))
            {
                if (json) stdout.WriteLine(Json(record));
                else Print(record, directory, stdout);
                shown++;
            }
        }
        catch (CorruptDataException e)
        {
            stderr.WriteLine($"interstice log inspect: the log is damaged: {e.Message} (interstice log verify --data-dir {directory} says more)");
            return 1;
        }
        if (!json) stdout.WriteLine($"{shown} record{(shown == 1 ? "" : "s")}");
        if (torn is { } tail)
        {
            stderr.WriteLine($"interstice log inspect: note: {tail}; a node's start cuts it away into quarantine/ (interstice log verify --data-dir {directory} says more)");
        }
        return 0;
    }

    /// <summary>The range of timestamps that are dates (years 1 to 9999), in microseconds since the Unix epoch.</summary>
    private static readonly long EarliestDate = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond,
        LatestDate = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>A record's timestamp as a UTC date; one no date holds (the log does not check them: a damaged or forged record) as its number.</summary>
    private static string Time(long microseconds) => microseconds >= EarliestDate && microseconds <= LatestDate
        ? DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + " UTC"
        : $"time {microseconds} (microseconds since 1970: no date)";

    private static void Print(InspectedRecord record, string directory, TextWriter stdout)
    {
        string where = $"{Path.GetRelativePath(directory, record.Segment)} @ {record.Offset}";
        string head = $"#{record.TransactionId}  {Time(record.Timestamp)}  ";
        if (record.Kind != "transaction")
        {
            string hash = record.ContentHash is { } h ? $" (sha-256 {h})" : "";
            stdout.WriteLine($"{head}{record.Kind} {record.Module}{hash}  [{where}]");
            return;
        }
        stdout.WriteLine($"{head}{Describe(record)}  [{where}]");
        foreach (var change in record.Changes)
        {
            string table = $"{change.Module}.{change.Table}";
            stdout.WriteLine(change.Kind switch
            {
                RowChangeKind.Insert => $"  insert {table} {change.NewRow}",
                RowChangeKind.Delete => $"  delete {table} {change.OldRow}",
                _ => $"  update {table} {change.OldRow} -> {change.NewRow}",
            });
        }
        foreach (var sequence in record.Sequences) stdout.WriteLine($"  sequence {sequence.Module}.{sequence.Table} next {sequence.NextValue}");
        if (record.Problem is { } problem) stdout.WriteLine($"  (could not decode: {problem})");
    }

    private static string Describe(InspectedRecord record)
    {
        if (record.Inputs is not { } inputs) return "transaction (inputs unreadable)";
        // The JSON array's elements, or the raw bytes when no schema reads them.
        string arguments = record.Arguments is { } json ? "(" + json[1..^1] + ")"
            : inputs.Arguments.IsEmpty ? "()"
            : $"(0x{Convert.ToHexStringLower(inputs.Arguments.Span)})";
        return inputs.Kind switch
        {
            CommitKind.Call => $"call {inputs.Module}.{inputs.Function}{arguments} by {inputs.Caller}",
            CommitKind.Subscription => $"subscription {inputs.Module}.{inputs.Function} on {inputs.Trigger} (depth {inputs.Depth})",
            CommitKind.Scheduled => $"scheduled {inputs.Module}.{inputs.Function}{arguments} ({inputs.Trigger})",
            _ => $"node: {inputs.Kind} {inputs.Module}",
        };
    }

    private static string Json(InspectedRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("transaction", record.TransactionId);
            writer.WriteNumber("timestamp_us", record.Timestamp);
            writer.WriteString("kind", record.Kind);
            writer.WriteString("segment", record.Segment);
            writer.WriteNumber("offset", record.Offset);
            if (record.Module is { } module) writer.WriteString("module", module);
            if (record.ContentHash is { } hash) writer.WriteString("sha256", hash);
            if (record.Inputs is { } inputs)
            {
                writer.WriteStartObject("inputs");
                writer.WriteString("kind", inputs.Kind.ToString());
                writer.WriteString("module", inputs.Module);
                if (inputs.Function is { } function) writer.WriteString("function", function);
                writer.WriteString("caller", inputs.Caller);
                if (record.Arguments is { } json)
                {
                    writer.WritePropertyName("arguments");
                    writer.WriteRawValue(json, skipInputValidation: true);
                }
                else writer.WriteString("arguments_hex", Convert.ToHexStringLower(inputs.Arguments.Span));
                if (inputs.Trigger is { } trigger) writer.WriteString("trigger", trigger);
                writer.WriteNumber("depth", inputs.Depth);
                writer.WriteEndObject();
            }
            if (record.Kind == "transaction")
            {
                writer.WriteStartArray("changes");
                foreach (var change in record.Changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("kind", change.Kind.ToString().ToLowerInvariant());
                    writer.WriteString("module", change.Module);
                    writer.WriteString("table", change.Table);
                    WriteRow(writer, "old", change.OldRow);
                    WriteRow(writer, "new", change.NewRow);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteStartArray("sequences");
                foreach (var sequence in record.Sequences)
                {
                    writer.WriteStartObject();
                    writer.WriteString("module", sequence.Module);
                    writer.WriteString("table", sequence.Table);
                    writer.WriteNumber("next", sequence.NextValue);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            if (record.Problem is { } problem) writer.WriteString("problem", problem);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A row: its JSON, or (when no schema reads it) its bytes as a hex string.</summary>
    private static void WriteRow(Utf8JsonWriter writer, string name, string? row)
    {
        if (row is null) return;
        writer.WritePropertyName(name);
        if (row.StartsWith("0x", StringComparison.Ordinal)) writer.WriteStringValue(row);
        else writer.WriteRawValue(row, skipInputValidation: true);
    }
}
