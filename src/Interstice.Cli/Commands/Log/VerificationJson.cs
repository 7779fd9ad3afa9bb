using System.Text.Json;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;

namespace Interstice.Cli.Commands.Log;

/// <summary>
/// <c>log verify --json</c>: a <see cref="VerificationReport"/> as one JSON object, for
/// monitoring and scripts. Members that are paths are relative to the data directory, as in
/// the text report (the reasons' text may name absolute paths); a member that does not apply
/// is left out rather than null.
/// </summary>
internal static class VerificationJson
{
    public static string Write(VerificationReport report)
    {
        string root = report.Directory.Root;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("data_directory", root);
            writer.WriteBoolean("healthy", report.IsHealthy);
            writer.WriteNumber("records", report.Records);
            writer.WriteStartArray("segments");
            foreach (var segment in report.Segments)
            {
                writer.WriteStartObject();
                writer.WriteString("file", Path.GetRelativePath(root, segment.File.Path));
                writer.WriteNumber("bytes", segment.Length);
                writer.WriteNumber("records", segment.Records);
                if (segment.Records > 0)
                {
                    writer.WriteNumber("first_transaction", segment.FirstTransactionId);
                    writer.WriteNumber("last_transaction", segment.LastTransactionId);
                }
                writer.WriteBoolean("verified", segment.Verified);
                writer.WriteBoolean("retired", segment.Retired);
                if (segment.Problem is { } problem) writer.WriteString("problem", problem);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("snapshots");
            foreach (var snapshot in report.Snapshots)
            {
                writer.WriteStartObject();
                writer.WriteString("file", Path.GetRelativePath(root, snapshot.File.Path));
                writer.WriteNumber("last_transaction", snapshot.File.LastTransactionId);
                if (snapshot.Problem is { } problem)
                {
                    writer.WriteStartObject("problem");
                    writer.WriteNumber("offset", problem.Offset);
                    writer.WriteString("reason", problem.Reason);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNumber("modules", snapshot.Modules);
                    writer.WriteNumber("tables", snapshot.Tables);
                    writer.WriteNumber("rows", snapshot.Rows);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("module_binaries");
            foreach (var binary in report.ModuleBinaries)
            {
                writer.WriteStartObject();
                writer.WriteString("file", Path.GetRelativePath(root, binary.Path));
                writer.WriteNumber("bytes", binary.Length);
                if (binary.Problem is { } problem) writer.WriteString("problem", problem);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (report.ModulesProblem is { } modules) writer.WriteString("modules_problem", modules);
            if (report.TornTail is { } torn)
            {
                writer.WriteStartObject("torn_tail");
                writer.WriteString("file", Path.GetRelativePath(root, torn.Path));
                writer.WriteNumber("offset", torn.Offset);
                writer.WriteString("reason", torn.Reason);
                writer.WriteEndObject();
            }
            if (report.Corruption is { } corruption) Corruption(writer, root, corruption, report.AfterDamage);
            if (report.CoverageProblem is { } coverage) writer.WriteString("incomplete", coverage);
            if (report.DirectoryChanged is { } changed) writer.WriteString("directory_changed", changed);
            Start(writer, report, root);
            // What --repair would do (empty when healthy, or when nothing found can be repaired automatically).
            writer.WriteStartArray("repair_would");
            foreach (string action in LogVerifier.PlanRepair(report)) writer.WriteStringValue(action);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Corruption(Utf8JsonWriter writer, string root, CorruptDataException damage, RecordsAfterDamage? after)
    {
        writer.WriteStartObject("corruption");
        writer.WriteString("file", Path.GetRelativePath(root, damage.File));
        writer.WriteNumber("offset", damage.Offset);
        writer.WriteString("reason", damage.Reason);
        if (after is { } cut)
        {
            writer.WriteStartObject("valid_records_after");
            writer.WriteNumber("count", cut.Count);
            if (cut.Count > 0)
            {
                writer.WriteNumber("first_transaction", cut.FirstTransactionId);
                writer.WriteNumber("last_transaction", cut.LastTransactionId);
            }
            writer.WriteBoolean("complete", cut.Complete);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>The start rehearsal: absent with --files-only, <c>"stopped_at_damage"</c> when the log's damage ends it first.</summary>
    private static void Start(Utf8JsonWriter writer, VerificationReport report, string root)
    {
        if (!report.StartRehearsed) return;
        writer.WriteStartObject("start");
        if (report.Restore is not { } restore)
        {
            writer.WriteBoolean("stopped_at_damage", true);
            writer.WriteEndObject();
            return;
        }
        if (restore.Interrupted is { } interrupted) writer.WriteString("not_known", interrupted);
        else
        {
            writer.WriteStartArray("unfit_snapshots");
            foreach (var unfit in restore.UnfitSnapshots)
            {
                writer.WriteStartObject();
                writer.WriteString("file", Path.GetRelativePath(root, unfit.File.Path));
                if (unfit.Offset is { } offset) writer.WriteNumber("offset", offset);
                writer.WriteString("reason", unfit.Reason);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (restore.Failure is { } failure) writer.WriteString("fails", failure);
            else
            {
                writer.WriteString("restores_from", restore.Snapshot is { } snapshot ? Path.GetRelativePath(root, snapshot.Path) : "log");
                writer.WriteNumber("records_replayed", restore.RecordsReplayed);
                writer.WriteNumber("owed_handler_calls", restore.OwedHandlerCalls);
                writer.WriteStartArray("dropped_handler_calls");
                foreach (var call in restore.DroppedHandlerCalls)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", call.Id);
                    writer.WriteString("module", call.Module);
                    writer.WriteString("reducer", call.Reducer);
                    writer.WriteString("event", call.Event);
                    writer.WriteString("problem", call.Problem);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteStartArray("modules");
                foreach (var module in restore.Modules)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", module.Name);
                    writer.WriteString("version", module.Version);
                    writer.WriteString("sha256", module.Hash);
                    writer.WriteString("file", Path.GetRelativePath(root, module.Path));
                    if (module.Problem is { } problem) writer.WriteString("problem", problem);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
        }
        writer.WriteEndObject();
    }
}
