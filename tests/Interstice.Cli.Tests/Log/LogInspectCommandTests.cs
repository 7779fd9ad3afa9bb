using System.Text.Json;
using Interstice.Abi.Schema;
using Interstice.Cli.Commands.Example;
using Interstice.Cli.Commands.Log;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Cli.Tests.Log;

/// <summary><c>interstice log inspect</c> on the log of a real node (the hello example run twice).</summary>
public class LogInspectCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("interstice-log-inspect-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs the hello example on the data directory: greets Bo, then (a second run) Cy.</summary>
    private void RunExample()
    {
        foreach (var args in new[] { new[] { "hello", "--data-dir", _directory, "Bo" }, ["hello", "--data-dir", _directory, "Cy", "Grumpy"] })
        {
            var error = new StringWriter();
            Assert.True(new ExampleCommand().Run(args, new StringWriter(), error) == 0, error.ToString());
        }
    }

    private static (int Exit, string Out, string Err) Inspect(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = new LogInspectCommand().Run(args, stdout, stderr);
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    [Fact]
    public void It_prints_every_transaction_with_its_inputs_and_decoded_rows()
    {
        RunExample();
        var (exit, output, error) = Repository.Cli("log", "inspect", "--data-dir", _directory);
        Assert.True(exit == 0, error);
        string[] lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains(lines, l => l.StartsWith("#1  ", StringComparison.Ordinal) && l.Contains("module loaded hello (sha-256 ", StringComparison.Ordinal));
        int call = Array.FindIndex(lines, l => l.Contains("call hello.hello(\"Cy\",\"Grumpy\") by client", StringComparison.Ordinal));
        Assert.True(call > 0, output);
        Assert.StartsWith("  insert hello.greetings {\"id\":3,\"name\":\"Cy\",\"mood\":\"Grumpy\",", lines[call + 1]);
        Assert.Contains("  sequence hello.greetings next 4", lines);
        Assert.Contains(lines, l => l.Contains("subscription caller.on_greeting on hello.greetings.insert (depth 1)", StringComparison.Ordinal));
        Assert.Contains("8 records", lines);
    }

    [Fact]
    public void Rows_of_modules_loaded_before_the_oldest_segment_left_are_decoded_with_the_snapshots_schema()
    {
        var options = new DurabilityOptions(_directory) { SegmentSize = 4096, OldSegments = SegmentRetention.Delete, SnapshotEveryRecords = 0, SnapshotEveryBytes = 0 };
        using (var node = new Core.Node(new Core.NodeOptions { RunScheduledReducers = false, Durability = options }))
        {
            node.LoadModuleFile(Repository.ExampleModule("hello"));
            for (int i = 0; i < 60; i++) node.CallReducerJson("hello", "hello", $"[\"n{i}\", \"Happy\"]");
            node.TakeSnapshot();
            node.CallReducerJson("hello", "hello", "[\"Zed\", \"Grumpy\"]");
        }

        var (exit, output, error) = Inspect("--data-dir", _directory);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("module loaded hello", output);
        Assert.DoesNotContain("no schema known", output + error);
        Assert.Contains("  insert hello.greetings {\"id\":62,\"name\":\"Zed\",\"mood\":\"Grumpy\",", output);
    }

    /// <summary>Module "counter" (table items { id: u64 }) whose reducer put, taking <paramref name="putArguments"/>, inserts its 8 bytes of arguments as a row.</summary>
    private static byte[] Counter(string putArguments)
    {
        byte[] wasm = File.ReadAllBytes(WasmBuilds.FromWat("""
            (module
              (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (global $heap (mut i32) (i32.const 1024))
              (func (export "interstice_alloc") (param $size i32) (param $align i32) (result i32)
                (local $at i32)
                (local.set $at (global.get $heap))
                (global.set $heap (i32.add (global.get $heap) (local.get $size)))
                (local.get $at))
              (func (export "interstice_free") (param i32 i32 i32))
              (func (export "interstice_reducer.put") (param $ptr i32) (param $len i32) (result i32)
                (call $table_insert (i32.const 0) (local.get $ptr) (local.get $len))))
            """));
        var schema = SchemaJson.Parse($$"""
            { "abi_version": 1, "name": "counter", "version": "0.1.0", "visibility": "public", "authorities": [],
              "types": [{ "name": "Item", "struct": [ { "name": "id", "type": "u64" } ] }],
              "tables": [{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }],
              "reducers": [{ "name": "put", "args": {{putArguments}} }], "queries": [], "subscriptions": [], "dependencies": [] }
            """);
        return [.. wasm, .. Bytes.CustomSection(SchemaRecords.SectionName, SchemaRecords.Encode(schema))];
    }

    [Fact]
    public void Calls_after_a_reload_are_decoded_with_the_reloaded_binarys_reducers()
    {
        using (var node = new Core.Node(new Core.NodeOptions { RunScheduledReducers = false, Durability = new DurabilityOptions(_directory) }))
        {
            node.LoadModule(Counter("""[ { "name": "a", "type": "u32" }, { "name": "b", "type": "u32" } ]"""));
            node.CallReducerJson("counter", "put", "[7, 1]");
            node.UnloadModule("counter");
            node.LoadModule(Counter("""[ { "name": "id", "type": "u64" } ]"""));
            node.CallReducerJson("counter", "put", "[12345678901]");
        }

        var (exit, output, error) = Inspect("--data-dir", _directory);
        Assert.True(exit == 0, error);
        Assert.Contains("call counter.put(7,1) by ", output);
        // Read with the first binary's put(a: u32, b: u32), it would show as put(3755744309,2).
        Assert.Contains("call counter.put(12345678901) by ", output);
        Assert.DoesNotContain("could not decode", output);
    }

    [Fact]
    public void Filters_by_module_table_and_range()
    {
        RunExample();
        var (_, caller, _) = Inspect("--data-dir", _directory, "--module", "caller");
        Assert.DoesNotContain("insert hello.greetings", caller);
        Assert.Contains("insert caller.seen", caller);
        Assert.Contains("module loaded caller", caller);

        var (_, greetings, _) = Inspect("--data-dir", _directory, "--table", "greetings");
        Assert.DoesNotContain("caller.seen", greetings);
        Assert.DoesNotContain("module loaded", greetings);
        Assert.Contains("3 records", greetings);

        var (_, range, _) = Inspect("--data-dir", _directory, "--from", "6", "--to", "7");
        var heads = range.Split('\n').Where(l => l.StartsWith('#')).Select(l => l[..l.IndexOf(' ')]).ToArray();
        Assert.Equal(["#6", "#7"], heads);
    }

    [Fact]
    public void Json_output_is_one_object_per_record()
    {
        RunExample();
        var (exit, output, _) = Inspect("--data-dir", _directory, "--json", "--from", "7", "--to", "7");
        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = document.RootElement;
        Assert.Equal(7, root.GetProperty("transaction").GetInt32());
        Assert.Equal("hello", root.GetProperty("inputs").GetProperty("function").GetString());
        Assert.Equal("Cy", root.GetProperty("inputs").GetProperty("arguments")[0].GetString());
        var change = root.GetProperty("changes")[0];
        Assert.Equal("insert", change.GetProperty("kind").GetString());
        Assert.Equal("Grumpy", change.GetProperty("new").GetProperty("mood").GetString());
    }

    [Fact]
    public void A_damaged_log_prints_what_comes_before_and_fails_naming_the_place()
    {
        RunExample();
        string segment = new DataDirectory(_directory).ListSegments()[0].Path;
        var bytes = File.ReadAllBytes(segment);
        bytes[700] ^= 0x10;
        File.WriteAllBytes(segment, bytes);
        var (exit, output, error) = Inspect("--data-dir", _directory);
        Assert.Equal(1, exit);
        Assert.Contains("#1 ", output);
        Assert.Contains("the log is damaged", error);
        Assert.Contains(segment, error);
    }

    [Fact]
    public void A_torn_tail_is_noted_after_the_records_before_it()
    {
        RunExample();
        string segment = new DataDirectory(_directory).ListSegments()[0].Path;
        long length = new FileInfo(segment).Length;
        using (var file = File.OpenWrite(segment)) file.SetLength(length - 10);
        var (exit, output, error) = Inspect("--data-dir", _directory);
        Assert.Equal(0, exit);
        Assert.Contains("#1 ", output);
        Assert.Contains("note:", error);
        Assert.Contains("invalid or incomplete record at the end of the log", error);
        Assert.Contains(segment, error);
        Assert.Equal(length - 10, new FileInfo(segment).Length);
    }

    /// <summary>
    /// Names in a damaged or hostile log may hold control characters (a newline, a terminal
    /// escape): the text output writes them escaped, so a log cannot forge lines or drive the terminal.
    /// </summary>
    [Fact]
    public void Control_characters_in_names_from_the_log_are_printed_escaped()
    {
        RunExample();
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleRemovedRecord(log.LastTransactionId + 1, 0, "evil\u001b[31m\n#99  forged"));
        }
        var (exit, output, error) = Inspect("--data-dir", _directory);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("\u001b", output);
        Assert.Contains("module removed evil\\u001b[31m\\u000a#99  forged", output);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("#99", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_command_lines_are_usage_errors_and_a_missing_directory_is_reported()
    {
        Assert.Throws<UsageException>(() => Inspect());
        Assert.Throws<UsageException>(() => Inspect("--data-dir", _directory, "--from", "x"));
        Assert.Throws<UsageException>(() => Inspect("--data-dir", _directory, "--from", "5", "--to", "2"));
        // The command line reports a file error in one line, exit 1 (as it does a usage error, exit 2).
        var (exit, _, error) = Repository.Cli("log", "inspect", "--data-dir", Path.Combine(_directory, "absent"));
        Assert.Equal(1, exit);
        Assert.Contains("there is no data directory", error);
    }
}
