using System.Diagnostics;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Inspection;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Xunit.Abstractions;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Forged records: a data directory written by real nodes (four example modules and one of its
/// own; tables with unique, hash and btree indexes and auto_inc keys; inserts, updates and
/// deletes; a module unloaded and loaded again, a module removed; scheduled calls; an ephemeral
/// table; a subscription handler call left owed in <c>interstice.pending_handlers</c>; two
/// snapshots; archived segments) is copied for each case, and one thing in it is forged with
/// every checksum made to hold again (<see cref="Forgery"/>: a record body, snapshot block or
/// file header changed byte-wise, or a well-formed record or snapshot made to say something
/// else), as a hostile or buggy writer would. Then the readers a user reaches run on it:
/// <see cref="LogVerifier.Verify(string)"/>, <see cref="LogInspector"/> over the whole log, and a
/// node's start followed by a call; when the forgery is in no file a start reads (a retired
/// segment, the older snapshot), the start is the template's and only the files' checks run.
/// <para>
/// What each may do: verify returns a report, and never throws for what the files hold; inspect
/// lists the records or throws <see cref="CorruptDataException"/> (what <c>log inspect</c>
/// reports as damage); a start succeeds, or throws <see cref="CorruptDataException"/> or
/// <see cref="RecoveryException"/> naming the segment or snapshot (and for a segment the
/// offset) or the module binary that cannot be restored (the node's check of
/// <c>interstice.modules</c> once the state is rebuilt, which no one record fails, names the
/// module and its row instead), and leaves every file as it was but for a torn last record cut
/// into <c>quarantine/</c>; verify does not find healthy a directory a start refuses; a node
/// that started takes a call (which may fail as a call, <see cref="CallFailedException"/>), and
/// the directory it leaves recovers. Verify and inspect change nothing. No reader throws
/// anything else (<see cref="NullReferenceException"/>, <see cref="IndexOutOfRangeException"/>,
/// <see cref="ArgumentException"/>, <see cref="OverflowException"/>...), hangs, or allocates
/// far beyond the directory's size.
/// </para>
/// The cases are seeded, so a failing one comes back with the same number and seed:
/// INTERSTICE_FORGE_CASES (default 50) sets how many run, INTERSTICE_FORGE_SEED (default 1) the
/// seed (docs/durability.md, The crash test, says how to run a long one).
/// </summary>
public class ForgedRecordTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Longest a reader may take on one case before it counts as hung.</summary>
    private static readonly TimeSpan ReaderTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Most a reader may allocate on one case: the directory is ~100 KB; a start that compiles its modules allocates tens of MB.</summary>
    private const long AllocationLimit = 512L << 20;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void No_forged_record_or_header_makes_a_reader_fail_badly()
    {
        int cases = Setting("INTERSTICE_FORGE_CASES", 50);
        int seed = Setting("INTERSTICE_FORGE_SEED", 1);
        string template = _temp.Combine("template");
        var startReads = WriteTemplate(template);
        // Unforged, every reader takes it: a start included (the forgeries no start reads count on it).
        string unforged = _temp.Combine("unforged");
        LogFiles.CopyDirectory(template, unforged);
        var problems = new List<string>();
        Assert.Equal("started", Check(unforged, problems));
        Assert.Empty(problems);

        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < cases; i++)
        {
            string directory = _temp.Combine($"case-{i}");
            LogFiles.CopyDirectory(template, directory);
            var forged = Forgery.Apply(directory, new Random(seed * 1_000_003 + i));
            problems.Clear();
            // A start whose files are the template's reads what the template's start read: its outcome is known.
            string outcome = forged.Files.Any(startReads.Contains) ? Check(directory, problems) : CheckFiles(directory, problems);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            foreach (string problem in problems) failures.Add($"case {i} (seed {seed}), {forged.Description}: {problem}");
            Directory.Delete(directory, recursive: true);
        }
        output.WriteLine($"{cases} cases (seed {seed}) in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} bad failures:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>Runs every reader on <paramref name="directory"/>; adds what each did wrong to <paramref name="problems"/>; returns how the start ended.</summary>
    private static string Check(string directory, List<string> problems)
    {
        var before = ReadFiles(directory);

        VerificationReport? report = null;
        Run("verify", problems, () => report = LogVerifier.Verify(directory));
        Unchanged("verify", directory, before, problems);
        Inspect(directory, before, problems);

        string outcome = "failed";
        Run("start", problems, () => outcome = Start(directory, before, problems));
        // Verify rehearses the start (all but instantiating the modules): the two agree.
        if (report is { } verified)
        {
            if (outcome.StartsWith("refused", StringComparison.Ordinal) && verified.IsHealthy)
                problems.Add($"verify finds the directory healthy, but the start is {outcome}");
            if (outcome == "started" && (verified.Corruption?.Message ?? verified.Restore?.Failure) is { } refusal)
                problems.Add($"verify says a start stops ({refusal}), but it started");
        }
        return outcome;
    }

    /// <summary>The readers of the files alone (verify without its start rehearsal, inspect), for a forgery that no start reads.</summary>
    private static string CheckFiles(string directory, List<string> problems)
    {
        var before = ReadFiles(directory);
        Run("verify", problems, () => LogVerifier.Verify(directory, rehearseStart: false));
        Unchanged("verify", directory, before, problems);
        Inspect(directory, before, problems);
        return "not read by a start";
    }

    private static void Inspect(string directory, Dictionary<string, byte[]> before, List<string> problems)
    {
        Run("inspect", problems, () =>
        {
            try
            {
                foreach (var record in LogInspector.Read(directory, new InspectionFilter(), _ => { })) _ = record.ToString();
            }
            catch (CorruptDataException e)
            {
                NamesWhere("inspect", e, directory, problems);
            }
        });
        Unchanged("inspect", directory, before, problems);
    }

    /// <summary>
    /// Starts a node, calls a reducer, stops it, and recovers what it leaves; returns how the
    /// start ended. A node that started on the directory must leave one that recovers: its own
    /// writes (the call, the handler calls it runs) on top of what it accepted.
    /// </summary>
    private static string Start(string directory, Dictionary<string, byte[]> before, List<string> problems)
    {
        var options = new NodeOptions { Durability = TemplateOptions(directory), TimeProvider = new ManualClock() };
        Node node;
        try
        {
            node = new Node(options);
        }
        catch (CorruptDataException e)
        {
            NamesWhere("start", e, directory, problems);
            OnlyTornTailCut(directory, before, problems);
            return "refused (damage)";
        }
        catch (RecoveryException e)
        {
            // A module that cannot be restored names its binary; the log's and snapshots' records name their file and
            // offset. The one refusal without a file is the node's check of its modules table once the state is rebuilt
            // (no one record is at fault): it names the table, the module and what is wrong with its row.
            if (e.File is null && !e.Message.StartsWith("the node's table interstice.modules records module `", StringComparison.Ordinal))
                problems.Add($"start: RecoveryException names no file: {e.Message}");
            else if (e.File is not null && !e.Message.Contains(e.File, StringComparison.Ordinal))
                problems.Add($"start: RecoveryException's message does not name {e.File}: {e.Message}");
            else if (e.File is { } file && file.EndsWith(".log", StringComparison.Ordinal) && e.Offset is null)
                problems.Add($"start: RecoveryException names segment {file} but no offset: {e.Message}");
            OnlyTornTailCut(directory, before, problems);
            return "refused (recovery)";
        }
        using (node)
        {
            try
            {
                node.CallReducerJson("hello", "hello", """["Forged", "Happy"]""");
            }
            catch (CallFailedException)
            {
                // A call may fail as a call: the forged history may have no hello loaded, say.
            }
        }
        try
        {
            var database = new Core.Storage.Database();
            SystemModule.CreateTables(database);
            LogRecovery.Recover(options.Durability, database, new RecoveredModules());
        }
        catch (Exception e)
        {
            problems.Add($"the directory a node left after it started and took a call does not recover: {e.GetType().Name}: {e.Message}");
        }
        return "started";
    }

    /// <summary>Runs a reader on a thread of its own, bounded in time and allocation; any exception that escapes is a problem.</summary>
    private static void Run(string reader, List<string> problems, Action action)
    {
        long allocated = 0;
        Exception? escaped = null;
        var task = Task.Factory.StartNew(() =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                action();
            }
            catch (Exception e)
            {
                escaped = e;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        }, TaskCreationOptions.LongRunning);
        if (!task.Wait(ReaderTimeout))
        {
            problems.Add($"{reader}: still running after {ReaderTimeout.TotalSeconds} s");
            return;
        }
        if (escaped != null) problems.Add($"{reader}: {escaped.GetType().Name} escaped: {escaped}");
        if (allocated > AllocationLimit) problems.Add($"{reader}: allocated {allocated >> 20} MiB");
    }

    /// <summary>A damage error must name its file, in the data directory, and (for the log) the offset, in its message.</summary>
    private static void NamesWhere(string reader, CorruptDataException e, string directory, List<string> problems)
    {
        if (!IsLogOrSnapshot(directory, e.File)) problems.Add($"{reader}: CorruptDataException names {e.File}, not a segment or snapshot of the directory: {e.Message}");
        else if (!e.Message.Contains(e.File, StringComparison.Ordinal) || !e.Message.Contains($"at byte {e.Offset}", StringComparison.Ordinal))
            problems.Add($"{reader}: CorruptDataException's message does not say where: {e.Message}");
    }

    private static bool IsLogOrSnapshot(string directory, string path)
    {
        string relative = Path.GetRelativePath(directory, path);
        return (relative.StartsWith("log", StringComparison.Ordinal) && relative.EndsWith(".log", StringComparison.Ordinal))
            || (relative.StartsWith("snapshots", StringComparison.Ordinal) && relative.EndsWith(".snapshot", StringComparison.Ordinal));
    }

    /// <summary>Every file of the directory and its bytes (the directory is small).</summary>
    private static Dictionary<string, byte[]> ReadFiles(string directory)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(directory, path)] = File.ReadAllBytes(path);
        return files;
    }

    private static void Unchanged(string reader, string directory, Dictionary<string, byte[]> before, List<string> problems)
    {
        var after = ReadFiles(directory);
        foreach (string file in before.Keys.Union(after.Keys))
        {
            if (!before.TryGetValue(file, out var was) || !after.TryGetValue(file, out var now) || !was.AsSpan().SequenceEqual(now))
                problems.Add($"{reader} changed {file}");
        }
    }

    /// <summary>
    /// A start that refuses leaves every file as it was, but for what a start may do first: cut
    /// a torn last record away into <c>quarantine/NAME.from-OFFSET</c> (or move a segment torn
    /// within its header there whole).
    /// </summary>
    private static void OnlyTornTailCut(string directory, Dictionary<string, byte[]> before, List<string> problems)
    {
        var after = ReadFiles(directory);
        foreach (var (file, bytes) in after)
        {
            if (before.TryGetValue(file, out var was))
            {
                if (was.AsSpan().SequenceEqual(bytes)) continue;
                string cut = Path.Combine("quarantine", $"{Path.GetFileName(file)}.from-{bytes.Length}");
                if (was.AsSpan().StartsWith(bytes) && after.TryGetValue(cut, out var tail) && was.AsSpan(bytes.Length).SequenceEqual(tail)) continue;
                problems.Add($"a start that refused changed {file}");
            }
            else if (!file.StartsWith("quarantine", StringComparison.Ordinal))
            {
                problems.Add($"a start that refused wrote {file}");
            }
        }
        foreach (var (file, bytes) in before)
        {
            if (after.ContainsKey(file)) continue;
            if (after.TryGetValue(Path.Combine("quarantine", Path.GetFileName(file)), out var moved) && moved.AsSpan().SequenceEqual(bytes)) continue;
            problems.Add($"a start that refused removed {file}");
        }
    }

    private static DurabilityOptions TemplateOptions(string directory) => new(directory)
    {
        Policy = DurabilityPolicy.None,
        SnapshotEveryRecords = 0,
        SnapshotEveryBytes = 0,
        // Small segments: the log spans several, chained by their headers, and a snapshot archives the first ones.
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Archive,
    };

    /// <summary>
    /// Writes the directory every case starts from, with real nodes: hello, caller (a
    /// subscription handler of hello's inserts), bank and auction (schedules, an ephemeral table),
    /// and a module of its own that is loaded and removed; two snapshots, most of the log after
    /// them; then a node whose commit sink fails on calls leaves a handler call owed. Returns the
    /// files a start reads (the newest snapshot and the segments after it), relative to it.
    /// </summary>
    private static HashSet<string> WriteTemplate(string directory)
    {
        var options = TemplateOptions(directory);
        using (var t = new TestNode(o => o with { Durability = options }, "hello", "caller", "bank", "auction"))
        {
            var node = t.Node;
            node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            foreach (string owner in new[] { "ann", "bo", "sam" }) node.CallReducerJson("bank", "open", $$"""["{{owner}}"]""");
            node.CallReducerJson("bank", "deposit", """["ann", 100]""");
            node.TakeSnapshot();

            node.CallReducerJson("hello", "hello", """["Bo", "Grumpy"]""");
            node.CallReducerJson("bank", "deposit", """["bo", 50]""");
            node.CallReducerJson("auction", "list_item", """["sam", "Lamp", "Art", 10, 60]""");
            node.CallReducerJson("auction", "watch", """["ann", 1]""");
            node.TakeSnapshot();

            node.CallReducerJson("auction", "place_bid", """[1, "ann", 20]""");
            node.CallReducerJson("hello", "hello", """["Ann", "Neutral"]""");
            node.UnloadModule("caller");
            node.CallReducerJson("hello", "hello", """["Cy", "Happy"]""");
            node.LoadModule(ExampleModules.Load("caller"));
            node.LoadModule(Scratch());
            node.CallReducerJson("scratch", "mark", "[]");
            node.RemoveModule("scratch");
            t.Clock.Advance(TimeSpan.FromSeconds(61));
            Assert.Equal(1, node.RunDueSchedules());
            node.CallReducerJson("auction", "list_item", """["bo", "Book", "Books", 5, 3600]""");
            node.CallReducerJson("bank", "transfer", """["bo", "ann", 10]""");
            node.CallReducerJson("hello", "hello", """["Di", "Happy"]""");
            node.CallReducerJson("bank", "set_frozen", """["bo", true]""");
        }
        using (var t = new TestNode(o => o with { Durability = options, CommitSink = new SinkFailingOn(CommitKind.Call) }))
        {
            Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Eve", "Happy"]"""));
        }
        var report = LogVerifier.Verify(directory);
        Assert.True(report.IsHealthy && report.Restore is { OwedHandlerCalls: 1 }, "the template directory does not verify clean with one handler call owed");
        Assert.True(report.Segments.Count(s => s.File.Archived) > 0 && report.Snapshots.Count == 2, "the template has no archived segment or not two snapshots");
        var reads = new HashSet<string>(StringComparer.Ordinal) { Path.GetRelativePath(directory, report.Snapshots[^1].File.Path) };
        foreach (var segment in report.Segments)
        {
            if (!segment.Retired) reads.Add(Path.GetRelativePath(directory, segment.File.Path));
        }
        return reads;
    }

    /// <summary>Module <c>scratch</c>: reducer <c>mark</c> inserts row 1 into its table <c>marks</c>.</summary>
    private static byte[] Scratch() => GuestModule.Build("scratch", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          (data (i32.const 100) "\01\00\00\00\00\00\00\00")
          (func (export "interstice_reducer.mark") (param i32 i32) (result i32)
            (drop (call $table_insert (i32.const 0) (i32.const 100) (i32.const 8)))
            (i32.const 0)))
        """,
        types: """[{ "name": "Mark", "struct": [ { "name": "id", "type": "u64" } ] }]""",
        tables: """[{ "name": "marks", "row": "Mark", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""",
        reducers: """[{ "name": "mark", "args": [] }]""");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) && value > 0 ? value : fallback;
}
