using System.Security.Cryptography;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Inspection;
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
    private static List<(string? Arguments, string? Problem)> Puts(string dataDirectory) =>
        LogInspector.Read(dataDirectory, new InspectionFilter())
            .Where(r => r.Inputs is { Module: "counter", Function: "put" })
            .Select(r => (r.Arguments, r.Problem))
            .ToList();

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
        string path = Path.Combine(new DataDirectory(options.DataDirectory).ModulesDirectory, Hash(V2) + ".wasm");
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
        string path = Path.Combine(new DataDirectory(options.DataDirectory).ModulesDirectory, Hash(V2) + ".wasm");
        File.WriteAllBytes(path, V1);

        var (arguments, problem) = Assert.Single(Puts(options.DataDirectory));
        Assert.Null(arguments);
        Assert.Equal($"module `counter` ran the binary {Hash(V2)} for this call, whose schema cannot be read ({path} holds another binary (its sha-256 is {Hash(V1)})): arguments shown in hex", problem);
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
}
