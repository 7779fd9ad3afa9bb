using System.Buffers.Binary;
using System.Text;
using Interstice.Abi;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A durable node started on a damaged data directory: a torn last record is cut off with a
/// warning; anything else (a damaged record before the end, a record that passes its checksum
/// but holds a row its table cannot hold, a module binary missing or swapped, a damaged
/// snapshot) gives a clear error or a safe fallback, never a crash or silent garbage.
/// </summary>
public class NodeIntegrityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options() => CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync);

    private static TestNode Start(DurabilityOptions options, params string[] modules) => new(o => o with { Durability = options }, modules);

    /// <summary>Runs a node with hello and greets each name in turn; returns hello's rows.</summary>
    private IReadOnlyList<string> Greet(DurabilityOptions options, params string[] names)
    {
        using var node = Start(options, "hello");
        foreach (string name in names) node.Node.CallReducerJson("hello", "hello", $$"""["{{name}}", "Happy"]""");
        return node.Rows("hello", "greetings");
    }

    private static string OnlySegment(DurabilityOptions options) => Assert.Single(new DataDirectory(options.DataDirectory).ListSegments()).Path;

    /// <summary>The offset and length of every record frame of a segment.</summary>
    private static List<(int Offset, int Length)> Frames(byte[] segment)
    {
        var frames = new List<(int, int)>();
        int offset = LogFormat.SegmentHeaderSize;
        while (offset + LogFormat.FrameHeaderSize <= segment.Length)
        {
            int body = (int)BinaryPrimitives.ReadUInt32LittleEndian(segment.AsSpan(offset));
            frames.Add((offset, LogFormat.FrameHeaderSize + body));
            offset += LogFormat.FrameHeaderSize + body;
        }
        return frames;
    }

    [Fact]
    public void A_torn_last_record_is_cut_off_with_a_warning_and_the_node_starts_with_what_came_before()
    {
        var options = Options();
        var rows = Greet(options, "Ann", "Bo", "Cy");
        string segment = OnlySegment(options);
        var bytes = File.ReadAllBytes(segment);
        var last = Frames(bytes)[^1];
        File.WriteAllBytes(segment, bytes.AsSpan(0, last.Offset + last.Length / 2).ToArray());

        using var node = Start(options);
        Assert.NotNull(node.Node.Recovery!.TornTail);
        string kept = Path.Combine(options.DataDirectory, "quarantine", $"{Path.GetFileName(segment)}.from-{last.Offset}");
        Assert.Contains(node.Logs, e => e.Level == LogLevel.Warn && e.Message.Contains("invalid or incomplete record") && e.Message.Contains($"kept in {kept}"));
        Assert.Equal(bytes.AsSpan(last.Offset, last.Length / 2).ToArray(), File.ReadAllBytes(kept));
        Assert.Equal(rows.Take(rows.Count - 1), node.Rows("hello", "greetings"));
        // The node carries on from there, on a clean log.
        node.Node.CallReducerJson("hello", "hello", """["Di", "Happy"]""");
        Assert.Equal(rows.Count, node.Rows("hello", "greetings").Count);
    }

    [Fact]
    public void A_damaged_record_before_the_end_stops_the_start_naming_the_segment_and_offset()
    {
        var options = Options();
        Greet(options, "Ann", "Bo", "Cy");
        string segment = OnlySegment(options);
        var bytes = File.ReadAllBytes(segment);
        var frames = Frames(bytes);
        var victim = frames[^3];
        bytes[victim.Offset + victim.Length - 1] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        var e = Assert.Throws<CorruptDataException>(() => Start(options));
        Assert.Equal(segment, e.File);
        Assert.Equal(victim.Offset, e.Offset);
        Assert.Contains("checksum", e.Reason);
        // Nothing was cut away: the damage is left for `interstice log verify --repair` to deal with.
        Assert.Equal(bytes.Length, new FileInfo(segment).Length);
    }

    [Fact]
    public void A_record_with_a_valid_checksum_but_a_row_its_table_cannot_hold_is_refused_with_a_clear_error()
    {
        var options = Options();
        Greet(options, "Ann", "Qxz", "Bo");
        string segment = OnlySegment(options);
        var bytes = File.ReadAllBytes(segment);
        var name = Encoding.UTF8.GetBytes("Qxz");
        var frame = Frames(bytes).Single(f => bytes.AsSpan(f.Offset, f.Length).IndexOf(name) >= 0);
        // The name in the new row (the last occurrence: the inputs come before the changes) becomes invalid UTF-8; the frame is resealed.
        int at = LastIndexOf(bytes, name, frame);
        bytes[at] = 0xFF;
        bytes[at + 1] = 0xFE;
        RecordFrame.Seal(bytes.AsSpan(frame.Offset, frame.Length));
        File.WriteAllBytes(segment, bytes);

        var e = Assert.Throws<RecoveryException>(() => Start(options));
        Assert.Equal(segment, e.File);
        Assert.Equal(frame.Offset, e.Offset);
        Assert.Contains("hello.greetings", e.Message);
    }

    private static int LastIndexOf(byte[] bytes, byte[] value, (int Offset, int Length) frame)
    {
        int i = bytes.AsSpan(frame.Offset, frame.Length).LastIndexOf(value);
        return i < 0 ? -1 : frame.Offset + i;
    }

    [Fact]
    public void A_missing_module_binary_stops_the_start_naming_the_file_to_put_back()
    {
        var options = Options();
        Greet(options, "Ann");
        string binary = Assert.Single(Directory.GetFiles(Path.Combine(options.DataDirectory, "modules")));
        File.Delete(binary);

        var e = Assert.Throws<RecoveryException>(() => Start(options));
        Assert.Contains("module `hello`", e.Message);
        Assert.Contains(binary, e.Message);
    }

    [Fact]
    public void Another_binary_under_a_module_hash_is_refused()
    {
        var options = Options();
        Greet(options, "Ann");
        string binary = Assert.Single(Directory.GetFiles(Path.Combine(options.DataDirectory, "modules")));
        File.WriteAllBytes(binary, ExampleModules.Load("caller"));

        var e = Assert.Throws<RecoveryException>(() => Start(options));
        Assert.Contains("is another one", e.Message);
        Assert.Equal(binary, e.File);
    }

    [Fact]
    public void A_damaged_binary_is_refused_as_another_one_before_it_is_compiled()
    {
        var options = Options();
        Greet(options, "Ann");
        string binary = Assert.Single(Directory.GetFiles(Path.Combine(options.DataDirectory, "modules")));
        File.WriteAllBytes(binary, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xFF]);

        // Damaged bytes no longer match the hash they are stored under: refused as another
        // binary (with where to put the right one back) before anything compiles them.
        var e = Assert.Throws<RecoveryException>(() => Start(options));
        Assert.Contains("its stored binary is another one (its sha-256 is ", e.Message);
        Assert.Contains($"put the module's binary back at {binary}", e.Message);
    }

    [Fact]
    public void A_damaged_newest_snapshot_is_skipped_with_a_warning_and_the_state_comes_from_the_older_one_and_the_log()
    {
        var options = Options() with { SnapshotsToKeep = 2, OldSegments = SegmentRetention.Archive };
        IReadOnlyList<string> rows;
        using (var node = Start(options, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            node.Node.TakeSnapshot();
            node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");
            node.Node.TakeSnapshot();
            node.Node.CallReducerJson("hello", "hello", """["Cy", "Happy"]""");
            rows = node.Rows("hello", "greetings");
        }
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal(2, snapshots.Count);
        var newest = snapshots[^1].Path;
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(newest, bytes);

        using var restarted = Start(options);
        Assert.Equal(snapshots[0].Path, restarted.Node.Recovery!.Snapshot!.Value.Path);
        Assert.Contains(restarted.Logs, e => e.Level == LogLevel.Warn && e.Message.Contains(newest));
        Assert.Equal(rows, restarted.Rows("hello", "greetings"));
    }

    [Fact]
    public void A_newest_snapshot_whose_content_does_not_fit_is_skipped_with_a_warning_and_the_node_starts_with_exactly_the_state_it_had()
    {
        var options = Options() with { SnapshotsToKeep = 2, OldSegments = SegmentRetention.Archive };
        string expected;
        int greetings;
        using (var node = Start(options, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            node.Node.TakeSnapshot();
            node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]""");
            node.Node.TakeSnapshot();
            node.Node.CallReducerJson("hello", "hello", """["Cy", "Happy"]""");
            expected = DatabaseDump.Of(node.Node.Database);
            greetings = node.Rows("hello", "greetings").Count;
        }
        var snapshots = new DataDirectory(options.DataDirectory).ListSnapshots();
        Assert.Equal(2, snapshots.Count);
        // Loading it fills the node's own tables and hello's before failing at the last table.
        var state = new Interstice.Core.Storage.Database();
        Interstice.Core.Modules.SystemModule.CreateTables(state);
        MisfitSnapshot.Rewrite(options.DataDirectory, snapshots[^1], state, new Interstice.Core.Modules.RecoveredModules());

        using var restarted = Start(options);
        Assert.Equal(snapshots[0], restarted.Node.Recovery!.Snapshot);
        Assert.Equal(expected, DatabaseDump.Of(restarted.Node.Database));
        Assert.Contains(restarted.Logs, e => e.Level == LogLevel.Warn
            && e.Message.StartsWith($"snapshot {snapshots[^1].Path} does not fit (the snapshot holds table {MisfitSnapshot.Table}", StringComparison.Ordinal)
            && e.Message.EndsWith("; trying an older one", StringComparison.Ordinal));
        Assert.Equal(["hello"], restarted.Node.Modules.Select(m => m.Name));
        restarted.Node.CallReducerJson("hello", "hello", """["Di", "Happy"]""");
        Assert.Equal(greetings + 1, restarted.Rows("hello", "greetings").Count);
    }

    [Fact]
    public void After_a_restart_a_binary_that_declares_the_logged_tables_differently_is_refused()
    {
        var options = Options();
        IReadOnlyList<string> rows;
        using (var node = Start(options, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            rows = node.Rows("hello", "greetings");
            node.Node.UnloadModule("hello");
        }
        using var restarted = Start(options);
        Assert.Empty(restarted.Node.Modules);
        byte[] changed = GuestModule.Build("hello", $"(module {GuestModule.Runtime})",
            types: """[{ "name": "Greetings", "struct": [ { "name": "id", "type": "u64" } ] }]""",
            tables: """[{ "name": "greetings", "row": "Greetings", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""");
        var error = Assert.Throws<ModuleLoadException>(() => restarted.Node.LoadModule(changed));
        Assert.Contains("table `greetings` holds data from the module's last load and the new binary declares it differently", error.Message);
        // The logged rows are untouched, and the binary that wrote them takes them back.
        restarted.Node.LoadModule(ExampleModules.Load("hello"));
        Assert.Equal(rows, restarted.Rows("hello", "greetings"));
    }
}
