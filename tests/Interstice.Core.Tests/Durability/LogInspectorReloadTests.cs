using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Inspection;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// <see cref="LogInspector"/> reads each call's arguments with the schema of the binary its module
/// ran when the call was made: a module loaded again with another binary logs no schema, only a
/// new row of <c>interstice.modules</c> naming the binary's hash.
/// </summary>
public class LogInspectorReloadTests : IDisposable
{
    /// <summary>Module "counter", table items { id: u64 }; its reducer put inserts its 8 bytes of arguments as a row.</summary>
    private static byte[] Counter(string putArguments) => GuestModule.Build("counter", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          (func (export "interstice_reducer.put") (param $ptr i32) (param $len i32) (result i32)
            (call $table_insert (i32.const 0) (local.get $ptr) (local.get $len))))
        """,
        types: """[{ "name": "Item", "struct": [ { "name": "id", "type": "u64" } ] }]""",
        tables: """[{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""",
        reducers: $$"""[{ "name": "put", "args": {{putArguments}} }]""");

    private static readonly byte[] V1 = Counter("""[ { "name": "a", "type": "u32" }, { "name": "b", "type": "u32" } ]""");
    private static readonly byte[] V2 = Counter("""[ { "name": "id", "type": "u64" } ]""");

    private static string Hash(byte[] wasm) => Convert.ToHexStringLower(SHA256.HashData(wasm));

    /// <summary>The arguments of a call of v2's put(id: u64).</summary>
    private static byte[] PutV2(ulong id)
    {
        var arguments = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(arguments, id);
        return arguments;
    }

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name) => new(_temp.Combine(name))
    {
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Delete,
        SnapshotEveryRecords = 0,
        SnapshotEveryBytes = 0,
    };

    private static Core.Node Start(DurabilityOptions options) => new(new NodeOptions { RunScheduledReducers = false, Durability = options });

    private static void Reload(Core.Node node, byte[] wasm)
    {
        node.UnloadModule("counter");
        node.LoadModule(wasm);
    }

    /// <summary>The arguments of every call of counter.put the inspector shows, in log order (null when not decoded), with the record's problem.</summary>
    private static List<(string? Arguments, string? Problem)> Puts(string dataDirectory, InspectionFilter? filter = null) =>
        PutsOf(LogInspector.Read(dataDirectory, filter ?? new InspectionFilter()).ToList());

    private static List<(string? Arguments, string? Problem)> PutsOf(List<InspectedRecord> shown) =>
        shown.Where(r => r.Inputs is { Module: "counter", Function: "put" }).Select(r => (r.Arguments, r.Problem)).ToList();

    /// <summary>What the inspector shows before the damage that stops it, and that damage.</summary>
    private static (List<InspectedRecord> Shown, CorruptDataException Damage) ReadUpToDamage(string dataDirectory)
    {
        var shown = new List<InspectedRecord>();
        var damage = Assert.Throws<CorruptDataException>(() =>
        {
            foreach (var record in LogInspector.Read(dataDirectory, new InspectionFilter())) shown.Add(record);
        });
        return (shown, damage);
    }

    /// <summary>Loads v1 and calls put(a, b) 240 times, b = 0, 1, 2 between two snapshots (so that the log kept starts after the load).</summary>
    private static void RunV1ThroughTwoSnapshots(Core.Node node)
    {
        node.LoadModule(V1);
        for (uint i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{i}, 0]");
        node.TakeSnapshot();
        for (uint i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{100 + i}, 1]");
        node.TakeSnapshot();
        for (uint i = 0; i < 120; i++) node.CallReducerJson("counter", "put", $"[{200 + i}, 2]");
    }

    /// <summary>
    /// v1 runs through two snapshots (the log kept starts after its load), then is reloaded as v2
    /// and a third snapshot taken: its row names v2, and only the log before it says that v1 ran
    /// before. Returns the newest snapshot's transaction and v1's calls in the log (put(a, b) with b = 2).
    /// </summary>
    private static (ulong Snapshot, List<LogEntry> V1Calls) ReloadAfterSnapshots(DurabilityOptions options)
    {
        using (var node = Start(options))
        {
            RunV1ThroughTwoSnapshots(node);
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
            node.TakeSnapshot();
        }
        var entries = LogReader.Read(options.DataDirectory).ToList();
        Assert.DoesNotContain(entries, e => e.Record is ModuleLoadedRecord);
        int reload = entries.FindIndex(e => e.Record is TransactionRecord t && CommitInputs.Decode(t.Inputs.Span).Kind == CommitKind.ModuleUnloaded);
        var v1Calls = entries[..reload].Where(e => e.Record is TransactionRecord t && CommitInputs.Decode(t.Inputs.Span).Function == "put").ToList();
        return (new DataDirectory(options.DataDirectory).ListSnapshots()[^1].LastTransactionId, v1Calls);
    }

    [Fact]
    public void Calls_made_before_and_after_a_reload_are_each_read_with_their_own_binarys_reducers()
    {
        var options = Options("reload");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
        }

        // Read with v1's put(a: u32, b: u32), the second call would show as [3755744309,2].
        Assert.Equal([("[7,1]", null), ("[12345678901]", null)], Puts(options.DataDirectory));
        // The rows are read with the logged schema: the tables are declared the same.
        var rows = LogInspector.Read(options.DataDirectory, new InspectionFilter(Table: "items")).Select(r => Assert.Single(r.Changes).NewRow);
        Assert.Equal(["{\"id\":4294967303}", "{\"id\":12345678901}"], rows);
    }

    [Fact]
    public void A_reloaded_binary_that_is_not_at_hand_leaves_its_calls_undecoded_and_says_so()
    {
        var options = Options("missing");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
            node.CallReducerJson("counter", "put", "[5]");
            Reload(node, V1);
            node.CallReducerJson("counter", "put", "[8, 0]");
        }
        string path = new ModuleStore(options.DataDirectory).PathOf(Hash(V2));
        File.Delete(path);

        string problem = $"module `counter` ran the binary {Hash(V2)} for this call, whose schema cannot be read ({path} is missing): arguments shown in hex";
        Assert.Equal([("[7,1]", null), (null, problem), (null, problem), ("[8,0]", null)], Puts(options.DataDirectory));
    }

    [Fact]
    public void A_reloaded_binary_replaced_by_other_bytes_is_not_read()
    {
        var options = Options("replaced");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
        }
        // v1's bytes under v2's name: its put(a, b) must not read v2's calls.
        string path = new ModuleStore(options.DataDirectory).PathOf(Hash(V2));
        File.WriteAllBytes(path, V1);

        var (arguments, problem) = Assert.Single(Puts(options.DataDirectory));
        Assert.Null(arguments);
        Assert.Equal($"module `counter` ran the binary {Hash(V2)} for this call, whose schema cannot be read ({path} is another one (its sha-256 is {Hash(V1)})): arguments shown in hex", problem);
    }

    [Fact]
    public void A_reload_in_segments_retired_before_the_snapshot_is_known_from_the_snapshots_row()
    {
        var options = Options("retired");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            for (uint i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{i}, 0]");
            Reload(node, V2);
            for (ulong i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{100 + i}]");
            node.TakeSnapshot();
            node.CallReducerJson("counter", "put", "[12345678901]");
        }

        var shown = LogInspector.Read(options.DataDirectory, new InspectionFilter()).ToList();
        Assert.DoesNotContain(shown, r => r.Kind == "module loaded");
        Assert.DoesNotContain(shown, r => r.Inputs?.Kind == CommitKind.ModuleLoaded);
        var puts = Puts(options.DataDirectory);
        Assert.All(puts, p => Assert.Null(p.Problem));
        Assert.Equal("[12345678901]", puts[^1].Arguments);
        Assert.All(puts, p => Assert.Matches(@"^\[\d+\]$", p.Arguments));
    }

    [Fact]
    public void Calls_kept_before_the_snapshot_but_made_before_a_reload_are_read_with_the_binary_they_ran_on()
    {
        var options = Options("before-snapshot");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            for (uint i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{i}, 0]");
            // The log is kept back to the older of the two snapshots kept: v1's load is retired, its calls since are not.
            node.TakeSnapshot();
            node.CallReducerJson("counter", "put", "[7, 1]");
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
            node.TakeSnapshot();
            node.CallReducerJson("counter", "put", "[500]");
        }

        // The newest snapshot's row names v2; the log before it shows the reload, whose old row names v1.
        Assert.DoesNotContain(LogInspector.Read(options.DataDirectory, new InspectionFilter()), r => r.Kind == "module loaded");
        var puts = Puts(options.DataDirectory);
        Assert.All(puts, p => Assert.Null(p.Problem));
        Assert.Equal(["[7,1]", "[12345678901]", "[500]"], puts[^3..].Select(p => p.Arguments));
        Assert.All(puts[..^2], p => Assert.Matches(@"^\[\d+,\d+\]$", p.Arguments));
    }

    [Fact]
    public void Calls_shown_before_damage_in_the_log_before_the_snapshot_are_not_read_with_the_snapshots_binary()
    {
        var options = Options("damaged");
        var (snapshot, v1Calls) = ReloadAfterSnapshots(options);
        var damaged = v1Calls[v1Calls.Count / 2];
        Assert.NotEqual(LogFiles.Segments(options.DataDirectory)[^1].Path, damaged.Segment);
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + 20);

        // The pass over the log before the snapshot stops at the damage, before the reload: the
        // snapshot's row (v2) cannot tell what ran before it. Read with v2's put(id: u64), these
        // calls of v1's put(a, b) would show as [8589934792]...
        var (shown, damage) = ReadUpToDamage(options.DataDirectory);
        Assert.Equal((damaged.Segment, damaged.Offset), (damage.File, damage.Offset));
        var puts = PutsOf(shown);
        Assert.Equal(v1Calls.Count / 2, puts.Count);
        string problem = $"which binary module `counter` ran for this call is not known (the log before the snapshot of transaction {snapshot} is damaged at {damaged.Segment} byte {damaged.Offset}): arguments shown in hex";
        Assert.All(puts, p => Assert.Equal((null, problem), p));
    }

    [Fact]
    public void Calls_in_a_log_that_ends_before_the_snapshot_are_not_read_with_the_snapshots_binary()
    {
        var options = Options("ends-early");
        var (snapshot, v1Calls) = ReloadAfterSnapshots(options);
        // The log's tail is lost from one of v1's calls on (mid-segment), as LogEndsBeforeSnapshotTests does.
        var cut = v1Calls.Skip(v1Calls.Count / 2).First(e => e.Offset > LogFormat.SegmentHeaderSize);
        foreach (var segment in LogFiles.Segments(options.DataDirectory))
        {
            if (segment.FirstTransactionId > cut.Record.TransactionId) File.Delete(segment.Path);
        }
        LogFiles.Truncate(cut.Segment, cut.Offset);
        ulong logLast = LogReader.Read(options.DataDirectory).Last().Record.TransactionId;

        var puts = Puts(options.DataDirectory);
        Assert.Equal(v1Calls.IndexOf(cut), puts.Count);
        string problem = $"which binary module `counter` ran for this call is not known (the log ends at transaction {logLast}, before the snapshot of transaction {snapshot}): arguments shown in hex";
        Assert.All(puts, p => Assert.Equal((null, problem), p));
    }

    [Fact]
    public void A_row_of_interstice_modules_that_does_not_decode_in_the_log_before_the_snapshot_does_not_stop_following_reloads()
    {
        var options = Options("bad-row");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            for (uint i = 0; i < 60; i++) node.CallReducerJson("counter", "put", $"[{i}, 0]");
            node.TakeSnapshot();
            node.CallReducerJson("counter", "put", "[7, 1]");
        }
        byte[] ghost = BadModuleRow("ghost");
        new ModuleStore(options.DataDirectory).Save(Hash(V2), V2);
        using (var writer = new NodeLogWriter(options))
        {
            writer.WriteModuleRow("ghost", ghost);
            writer.Runs("counter", Hash(V2));
            writer.Call("counter", "put", PutV2(12345678901), "items");
            writer.TakeSnapshot();
        }

        // The reload after the bad row names v1 as what ran before it: [7,1] is not read with v2.
        var shown = LogInspector.Read(options.DataDirectory, new InspectionFilter()).ToList();
        Assert.Contains(shown, r => r.Changes.Any(c => c.Table == SystemModule.ModulesTable && c.NewRow == "0x" + Convert.ToHexStringLower(ghost)));
        var puts = PutsOf(shown);
        Assert.All(puts, p => Assert.Null(p.Problem));
        Assert.Equal(["[7,1]", "[12345678901]"], puts[^2..].Select(p => p.Arguments));
        Assert.All(puts[..^1], p => Assert.Matches(@"^\[\d+,\d+\]$", p.Arguments));
    }

    [Fact]
    public void A_module_whose_row_before_its_first_change_in_the_log_does_not_decode_has_calls_before_it_shown_undecoded()
    {
        var options = Options("bad-old-row");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
        }
        new ModuleStore(options.DataDirectory).Save(Hash(V2), V2);
        // put(a, b) with b = 2: the arguments of v1's calls.
        byte[] PutV1(uint a) => PutV2(a | (2UL << 32));
        using (var writer = new NodeLogWriter(options))
        {
            // Counter's row goes bad, then out of the log kept (before the older snapshot kept).
            writer.WriteModuleRow("counter", BadModuleRow("counter"));
            for (uint i = 0; i < 60; i++) writer.Call("counter", "put", PutV1(i), "items");
            writer.TakeSnapshot();
            for (uint i = 0; i < 60; i++) writer.Call("counter", "put", PutV1(100 + i), "items");
            writer.TakeSnapshot();
            writer.Call("counter", "put", PutV1(200), "items");
            writer.Runs("counter", Hash(V2));
            writer.Call("counter", "put", PutV2(12345678901), "items");
            writer.TakeSnapshot();
        }
        var entries = LogReader.Read(options.DataDirectory).ToList();
        Assert.DoesNotContain(entries, e => e.Record is TransactionRecord t && t.Rows.Any(c => c.Table == SystemModule.ModulesTable && c.OldRow.IsEmpty));
        var reload = entries.Single(e => e.Record is TransactionRecord t && t.Rows.Any(c => c.Table == SystemModule.ModulesTable));

        // The snapshot's row names v2; what ran before the reload is not known, so it is not v2.
        var puts = Puts(options.DataDirectory);
        string problem = $"which binary module `counter` ran for this call is not known (its row of interstice.modules, which transaction {reload.Record.TransactionId} changes ({reload.Segment} byte {reload.Offset}), does not decode): arguments shown in hex";
        Assert.All(puts[..^1], p => Assert.Equal((null, problem), p));
        Assert.Equal(("[12345678901]", null), puts[^1]);
    }

    /// <summary>
    /// Damage in the first record after the snapshot: the log before the snapshot was read whole,
    /// so every call before the damage is decoded with the binary it ran (the damage is reported
    /// where it is, not as damage before the snapshot).
    /// </summary>
    [Fact]
    public void Damage_right_after_the_snapshot_leaves_the_calls_before_it_decoded()
    {
        var options = Options("after");
        using (var node = Start(options))
        {
            RunV1ThroughTwoSnapshots(node);
            node.TakeSnapshot();
            for (uint i = 0; i < 5; i++) node.CallReducerJson("counter", "put", $"[{400 + i}, 3]");
        }
        var entries = LogReader.Read(options.DataDirectory).ToList();
        Assert.DoesNotContain(entries, e => e.Record is ModuleLoadedRecord);
        ulong snapshot = new DataDirectory(options.DataDirectory).ListSnapshots()[^1].LastTransactionId;
        var after = entries.First(e => e.Record.TransactionId > snapshot);
        LogFiles.FlipByte(after.Segment, after.Offset + 20);

        var (shown, damage) = ReadUpToDamage(options.DataDirectory);
        Assert.Equal(after.Segment, damage.File);
        var puts = PutsOf(shown);
        Assert.NotEmpty(puts);
        Assert.All(puts, p => Assert.Null(p.Problem));
        Assert.All(puts, p => Assert.Matches(@"^\[\d+,\d\]$", p.Arguments));
    }

    /// <summary>A row of interstice.modules for <paramref name="module"/> (a short name): name, version "1", hash "x" (strings: LEB128 length, UTF-8), then 7 where a bool must be 0 or 1.</summary>
    private static byte[] BadModuleRow(string module) =>
        [(byte)module.Length, .. Encoding.UTF8.GetBytes(module), 1, (byte)'1', 1, (byte)'x', 7];

    [Theory]
    [InlineData("../x", "recorded as \"../x\" (4 characters)")]
    [InlineData("\u001b[2J\nforged line", "recorded as \"\\u001b[2J\\u000aforged line\" (16 characters)")]
    [InlineData("a\"b\\c", "recorded as \"a\\\"b\\\\c\" (5 characters)")]
    [InlineData("5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C", "recorded as \"5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C5F1C\" (64 characters)")]
    public void A_recorded_hash_that_is_not_a_sha256_is_not_read_as_a_path_and_is_printed_escaped(string hash, string shown)
    {
        var options = Options("hash");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
        }
        using (var writer = new NodeLogWriter(options))
        {
            writer.Runs("counter", hash);
            writer.Call("counter", "put", PutV2(5), "items");
        }

        string problem = $"module `counter` ran the binary {shown} for this call, whose schema cannot be read (the recorded hash is not a sha-256): arguments shown in hex";
        Assert.Equal([("[7,1]", null), (null, problem)], Puts(options.DataDirectory));
    }

    [Fact]
    public void A_long_recorded_hash_is_shown_shortened()
    {
        Assert.Equal($"recorded as \"{new string('a', 64)}\"... (1000 characters)", RecordedHash.Describe(new string('a', 1000)));
        Assert.Equal(Hash(V1), RecordedHash.Describe(Hash(V1)));
    }

    [Fact]
    public void A_stored_binary_that_matches_its_hash_but_is_not_a_module_leaves_its_calls_undecoded()
    {
        var options = Options("not-a-module");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
        }
        byte[] bytes = Encoding.UTF8.GetBytes("not a WebAssembly module");
        var store = new ModuleStore(options.DataDirectory);
        store.Save(Hash(bytes), bytes);
        using (var writer = new NodeLogWriter(options))
        {
            writer.Runs("counter", Hash(bytes));
            writer.Call("counter", "put", PutV2(5), "items");
        }

        var puts = Puts(options.DataDirectory);
        Assert.Equal(("[7,1]", null), puts[0]);
        Assert.Null(puts[1].Arguments);
        Assert.StartsWith($"module `counter` ran the binary {Hash(bytes)} for this call, whose schema cannot be read ({store.PathOf(Hash(bytes))} is not a module: ", puts[1].Problem);
        Assert.EndsWith("): arguments shown in hex", puts[1].Problem);
    }

    [Fact]
    public void A_reload_the_filter_leaves_out_still_changes_the_binary_that_reads_later_calls()
    {
        var options = Options("filtered");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
            Reload(node, V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
        }
        ulong last = LogReader.Read(options.DataDirectory).Last().Record.TransactionId;

        Assert.Equal([("[7,1]", null), ("[12345678901]", null)], Puts(options.DataDirectory, new InspectionFilter(Table: "items")));
        Assert.Equal([("[12345678901]", null)], Puts(options.DataDirectory, new InspectionFilter(From: last)));
        Assert.Equal([("[12345678901]", null)], Puts(options.DataDirectory, new InspectionFilter(Module: "counter", From: last)));
    }

    [Fact]
    public void A_module_removed_and_loaded_again_runs_the_binary_its_new_load_logged()
    {
        var options = Options("removed");
        using (var node = Start(options))
        {
            node.LoadModule(V1);
            node.CallReducerJson("counter", "put", "[7, 1]");
            node.RemoveModule("counter");
            node.LoadModule(V2);
            node.CallReducerJson("counter", "put", "[12345678901]");
        }
        // Each load logged its schema: the stored binaries are not needed.
        foreach (string file in Directory.GetFiles(new DataDirectory(options.DataDirectory).ModulesDirectory)) File.Delete(file);

        Assert.Equal(2, LogInspector.Read(options.DataDirectory, new InspectionFilter()).Count(r => r.Kind == "module loaded"));
        Assert.Equal([("[7,1]", null), ("[12345678901]", null)], Puts(options.DataDirectory));
    }
}
