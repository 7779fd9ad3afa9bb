using Interstice.Abi.Schema;
using Interstice.Core;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;

namespace Interstice.Cli.Commands.Log;

/// <summary><c>interstice log verify</c>: checks a data directory's commit log and snapshots, and repairs them on request.</summary>
internal sealed class LogVerifyCommand : ICommand
{
    private readonly TextReader _input;

    public LogVerifyCommand() : this(Console.In) { }

    /// <summary>A command that reads the repair confirmation from <paramref name="input"/>.</summary>
    internal LogVerifyCommand(TextReader input) => _input = input;

    public string Name => "log verify";

    public string Summary => "Check a node's commit log and snapshots; repair them (truncate at the last valid record)";

    public string Usage => """
        usage: interstice log verify --data-dir DIR [--node-name NAME] [--files-only] [--json | --repair [--yes]]

        Reads every log segment and snapshot of the data directory DIR and checks headers, the
        chain of segments, every record's checksum and contents, every snapshot block and every
        module binary's hash. Then runs a start's restore without running WebAssembly or writing
        anything: snapshots whose content does not fit (a start skips them), logged changes that
        do not fit the state, and the modules a start loads: each binary must be in DIR/modules/,
        match its hash, compile to a module (none of its code runs) and pass the checks a load
        makes (imports and exports, authorities, dependencies, its tables against the logged
        ones); instantiating it is not rehearsed. That rehearsal takes a start's memory and time
        (the whole state is rebuilt, each module compiled); --files-only leaves it out. Prints a
        line per file and the problems found.
        Without --repair it only reads: it may run while a node uses DIR, and may then report the
        record being written at the end as a torn tail, or that the directory changed while it
        was read (the node retired a file it had listed): verify again, or stop the node first.
        --repair rewrites files: it locks DIR as a node does, and refuses while a node runs there.
        Exit codes: 0 when all is well (or repaired); 1 when problems remain, a file cannot be
        read or written, or a node holds DIR; 2 wrong command line.

          --data-dir DIR    the node's data directory (it holds log/ and snapshots/)
          --node-name NAME  the name of the node that runs on DIR (default: local, the name of
                            every node this command line starts): a module's dependencies on
                            this node must be restored before it, those on others are not checked
          --files-only      check the files only, without rehearsing a start
          --json            print the report as one JSON object (exit codes as above)
          --repair          fix what was found: truncate the log at its last valid record and
                            move what is cut away, later segments and invalid snapshots to
                            DIR/quarantine/ (asks for confirmation first)
          --yes             repair without asking
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir", "node-name"], ["files-only", "json", "repair", "yes"]);
        // Names, reasons and messages the report quotes come from the directory, which may be
        // damaged or hostile: the text escapes their control characters (JSON escapes them itself).
        if (!arguments.Has("json")) stdout = new ControlEscapingWriter(stdout);
        stderr = new ControlEscapingWriter(stderr);
        if (arguments.Positional.Count != 0) throw new UsageException($"unexpected argument '{arguments.Positional[0]}'");
        string directory = arguments.GetPath("data-dir") ?? throw new UsageException("--data-dir DIR is required");
        if (arguments.Has("yes") && !arguments.Has("repair")) throw new UsageException("--yes only goes with --repair");
        if (arguments.Has("json") && arguments.Has("repair")) throw new UsageException("--json does not go with --repair (a repair asks and answers in text)");
        if (arguments.Get("node-name") is { } nodeName && !Names.IsModuleName(nodeName))
            throw new UsageException($"--node-name: '{nodeName}' is not a node name: letters, digits, '_' and '-', starting with a letter");

        // A repair rewrites files: hold the directory as a node does, from before the check it acts on
        // (a directory that does not exist has nothing to repair and is not created).
        DataDirectoryLock? held;
        try
        {
            held = arguments.Has("repair") && Directory.Exists(directory) ? DataDirectoryLock.Acquire(new DataDirectory(directory)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice log verify: cannot repair: {e.Message}");
            return 1;
        }
        using (held) return Run(directory, arguments, stdout, stderr);
    }

    private int Run(string directory, CommandArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        bool rehearseStart = !arguments.Has("files-only");
        var node = arguments.Get("node-name") is { } name ? new NodeOptions { NodeName = name } : null;
        var report = LogVerifier.Verify(directory, rehearseStart, node);
        if (arguments.Has("json"))
        {
            stdout.WriteLine(VerificationJson.Write(report));
            return report.IsHealthy ? 0 : 1;
        }
        Print(report, stdout);
        if (report.IsHealthy) return 0;

        var plan = LogVerifier.PlanRepair(report);
        if (!arguments.Has("repair"))
        {
            if (plan.Count > 0) stdout.WriteLine("run again with --repair to fix this");
            return 1;
        }
        if (plan.Count == 0)
        {
            stdout.WriteLine("nothing here can be repaired automatically");
            return 1;
        }
        stdout.WriteLine("repair will:");
        foreach (string action in plan) stdout.WriteLine($"  {action}");
        if (!arguments.Has("yes"))
        {
            stdout.Write("proceed? [y/N] ");
            stdout.Flush();
            string? answer = _input.ReadLine();
            if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
            {
                stdout.WriteLine();
                stdout.WriteLine("nothing changed");
                return 1;
            }
        }
        try
        {
            foreach (string done in LogVerifier.Repair(report)) stdout.WriteLine($"done: {done}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice log verify: repair failed: {e.Message}");
            return 1;
        }

        var after = LogVerifier.Verify(directory, rehearseStart, node);
        stdout.WriteLine(after.IsHealthy ? "the log and snapshots are now valid" : "problems remain:");
        if (!after.IsHealthy) Print(after, stdout);
        return after.IsHealthy ? 0 : 1;
    }

    private static void Print(VerificationReport report, TextWriter stdout)
    {
        stdout.WriteLine($"data directory {report.Directory.Root}");
        stdout.WriteLine($"log: {report.Segments.Count} segment{Plural(report.Segments.Count)}, {report.Records} record{Plural(report.Records)}");
        foreach (var segment in report.Segments)
        {
            string name = Path.GetRelativePath(report.Directory.Root, segment.File.Path);
            string range = segment.Records > 0 ? $", transactions {segment.FirstTransactionId}..{segment.LastTransactionId}" : "";
            string state = segment.Problem is { } problem ? $"DAMAGED: {problem}"
                : !segment.Verified ? (report.Corruption != null ? "not read (after the damage)" : "not read (the directory changed)")
                : segment.Retired ? "ok (before the newest snapshot)"
                : "ok";
            stdout.WriteLine($"  {name}  {segment.Length} bytes, {segment.Records} record{Plural(segment.Records)}{range}  {state}");
        }
        stdout.WriteLine($"snapshots: {report.Snapshots.Count}");
        foreach (var snapshot in report.Snapshots)
        {
            string name = Path.GetRelativePath(report.Directory.Root, snapshot.File.Path);
            stdout.WriteLine(snapshot.Problem is { } problem
                ? $"  {name}  INVALID at byte {problem.Offset}: {problem.Reason}"
                : $"  {name}  ok: transaction {snapshot.File.LastTransactionId}, {snapshot.Modules} module{Plural(snapshot.Modules)}, {snapshot.Tables} table{Plural(snapshot.Tables)}, {snapshot.Rows} row{Plural(snapshot.Rows)}");
        }
        if (report.ModulesProblem is { } unlisted) stdout.WriteLine($"modules: DAMAGED: {unlisted}");
        int damagedBinaries = report.ModuleBinaries.Count(m => m.Problem != null);
        if (report.ModulesProblem == null) stdout.WriteLine($"modules: {report.ModuleBinaries.Count} binar{(report.ModuleBinaries.Count == 1 ? "y" : "ies")}{(damagedBinaries == 0 && report.ModuleBinaries.Count > 0 ? ", each matching its hash" : "")}");
        foreach (var binary in report.ModuleBinaries)
        {
            // Any file named *.wasm in modules/ is listed: its name is the directory's, not the node's.
            if (binary.Problem is { } problem) stdout.WriteLine($"  {Path.GetRelativePath(report.Directory.Root, binary.Path)}  {binary.Length} bytes  DAMAGED: {problem}");
        }
        if (report.TornTail is { } torn)
        {
            stdout.WriteLine($"torn tail: {Path.GetRelativePath(report.Directory.Root, torn.Path)} ends with an invalid or incomplete record at byte {torn.Offset} ({torn.Reason}); a start cuts it away into quarantine/");
        }
        if (report.Corruption is { } corruption)
        {
            stdout.WriteLine($"CORRUPT: {Path.GetRelativePath(report.Directory.Root, corruption.File)} at byte {corruption.Offset}: {corruption.Reason}");
            if (report.AfterDamage is { } after) stdout.WriteLine($"  after the damage: {after}, which a repair takes out of the log (kept in quarantine/)");
        }
        if (report.CoverageProblem is { } coverage) stdout.WriteLine($"INCOMPLETE: {coverage}");
        if (report.DirectoryChanged is { } changed) stdout.WriteLine($"CHANGED: {changed}; a vanished snapshot or retired segment is left out, a live segment is listed as not read, with the live segments after it: verify again, or stop the node first");
        PrintStart(report, stdout);
        if (report.IsHealthy) stdout.WriteLine("all valid");
    }

    /// <summary>What a start would do: the snapshot it restores from (and those it skips), why it would stop, the module binaries it needs.</summary>
    private static void PrintStart(VerificationReport report, TextWriter stdout)
    {
        if (!report.StartRehearsed)
        {
            stdout.WriteLine("start: not rehearsed (--files-only)");
            return;
        }
        if (report.Restore is not { } restore)
        {
            stdout.WriteLine("start: stops at the damage above");
            return;
        }
        if (restore.Interrupted is { } interrupted)
        {
            stdout.WriteLine($"start: not known: {interrupted}; verify again, or stop the node first");
            return;
        }
        string root = report.Directory.Root;
        string from = restore.Snapshot is { } snapshot ? Path.GetRelativePath(root, snapshot.Path) : "the log's beginning";
        foreach (var unfit in restore.UnfitSnapshots)
        {
            string at = unfit.Offset is { } offset ? $" at byte {offset}" : "";
            string then = restore.Failure == null ? $"restores from {from}" : "tries an older state (which fails: below)";
            stdout.WriteLine($"UNFIT: {Path.GetRelativePath(root, unfit.File.Path)}{at}: {unfit.Reason}; a start skips it and {then}");
        }
        if (restore.Failure is { } failure)
        {
            // With no snapshot skipped, the gap that stops the start is the one INCOMPLETE above
            // names (both start from the newest valid snapshot): the same again is noise.
            bool saidAbove = restore.FailureIsLogGap && restore.UnfitSnapshots.Count == 0 && report.CoverageProblem != null;
            if (!saidAbove) stdout.WriteLine($"START FAILS: {failure}");
            return;
        }
        string owed = restore.OwedHandlerCalls == 0 ? ""
            : $", then runs {restore.OwedHandlerCalls} subscription handler call{Plural(restore.OwedHandlerCalls)} left owed";
        stdout.WriteLine($"start: restores from {from}, replays {restore.RecordsReplayed} record{Plural(restore.RecordsReplayed)}, loads {restore.Modules.Count} module{Plural(restore.Modules.Count)}{owed}");
        foreach (var module in restore.Modules)
        {
            if (module.Problem is { } problem) stdout.WriteLine($"  module `{module.Name}` {module.Version} (sha-256 {module.Hash}): {Path.GetRelativePath(root, module.Path)} {problem}");
        }
        foreach (var call in restore.DroppedHandlerCalls)
            stdout.WriteLine($"  drops owed handler call #{call.Id}, {call.Module}.{call.Reducer} of {call.Event}: {call.Problem}");
    }

    private static string Plural(long count) => count == 1 ? "" : "s";
}
