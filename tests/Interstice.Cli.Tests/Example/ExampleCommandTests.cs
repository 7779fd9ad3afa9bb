using Interstice.Abi.Schema;
using Interstice.Cli.Commands.Example;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Inspection;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Cli.Tests.Example;

/// <summary><c>interstice example hello</c>, and the example modules the CLI ships.</summary>
public class ExampleCommandTests
{
    [Fact]
    public void The_shipped_modules_are_what_the_sources_build()
    {
        Assert.Equal(["caller", "hello"], ExampleModules.Names);
        foreach (string name in ExampleModules.Names)
        {
            Assert.True(File.ReadAllBytes(Repository.ExampleModule(name)).AsSpan().SequenceEqual(ExampleModules.Load(name)),
                $"src/Interstice.Cli/Examples/{name}.wasm differs from what modules/{name} builds: run scripts/build-modules and copy artifacts/modules/{name}.wasm there");
        }
    }

    [Fact]
    public void It_calls_the_reducer_and_shows_the_commits_the_subscriptions_and_the_table()
    {
        var (exit, output, error) = Repository.Cli("example", "hello", "Ann", "Grumpy");
        Assert.True(exit == 0, error);
        string[] lines = output.ReplaceLineEndings("\n").Split('\n');
        // A first load's record is its init handler's transaction.
        int init = Array.IndexOf(lines, "committed #1 subscription hello.setup on init (depth 1):");
        Assert.True(init > 0, output);
        Assert.StartsWith("  inserted into interstice.modules {\"name\":\"hello\",", lines[init + 1]);
        Assert.Contains("calling hello.hello(\"Ann\", \"Grumpy\")", lines);
        Assert.Contains("  log [info] hello.hello: greeted Ann for the first time (id 2)", lines);
        Assert.Contains("committed #3 hello.hello (called by a client):", lines);
        int subscription = Array.IndexOf(lines, "committed #4 subscription caller.on_greeting on hello.greetings.insert (depth 1):");
        Assert.True(subscription > 0, output);
        Assert.Equal("  inserted into caller.seen {\"id\":1,\"greeting_id\":2,\"name\":\"Ann\",\"mood\":\"Grumpy\"}", lines[subscription + 1]);
        Assert.Contains("table hello.greetings (2 rows):", lines);
        Assert.Contains(lines, l => l.StartsWith("  {\"id\":2,\"name\":\"Ann\",\"mood\":\"Grumpy\",", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_name_only_init_runs()
    {
        var (exit, output, _) = Repository.Cli("example", "hello");
        Assert.Equal(0, exit);
        Assert.Contains("no name given: only init ran", output);
        Assert.Contains("table hello.greetings (1 row):", output);
    }

    [Fact]
    public void A_failing_call_is_reported_and_keeps_nothing()
    {
        var (exit, output, _) = Repository.Cli("example", "hello", "", "Happy");
        Assert.Equal(1, exit);
        Assert.Contains("failed (Failed): hello.hello: a greeting needs a name; nothing it wrote was kept", output);
        Assert.Contains("table hello.greetings (1 row):", output);

        var (badMood, moodOutput, _) = Repository.Cli("example", "hello", "Ann", "Sleepy");
        Assert.Equal(1, badMood);
        Assert.Contains("failed (InvalidArguments)", moodOutput);
    }

    [Fact]
    public void Wrong_command_lines_are_usage_errors()
    {
        Assert.Equal(2, Repository.Cli("example", "goodbye").Exit);
        Assert.Equal(2, Repository.Cli("example", "hello", "a", "b", "c").Exit);
        Assert.Equal(2, Repository.Cli("example").Exit);
    }

    /// <summary>
    /// A run stopped between a greeting and caller's handler of it (here: its log cut after the
    /// greeting, as a crash leaves it) owes the handler call: the next run's start runs it, and
    /// shows its commit after what it restored, then greets as usual.
    /// </summary>
    [Fact]
    public void A_handler_call_the_run_before_left_owed_runs_when_the_next_run_starts()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-example-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, Repository.Cli("example", "hello", "--data-dir", directory, "Bo").Exit);
            var last = LogInspector.Read(directory, new InspectionFilter(), tornTail: _ => { }).Last();
            Assert.Equal(CommitKind.Subscription, last.Inputs!.Kind);
            using (var file = new FileStream(last.Segment, FileMode.Open)) file.SetLength(last.Offset);

            var (exit, output, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Cy");
            Assert.True(exit == 0, error);
            var lines = output.ReplaceLineEndings("\n").Split('\n').ToList();
            int restored = lines.FindIndex(l => l.StartsWith("restored from ", StringComparison.Ordinal));
            int note = lines.FindIndex(l => l.Contains("1 subscription handler call(s) queued before the node stopped had not run: running them now", StringComparison.Ordinal));
            int owed = lines.FindIndex(l => l.StartsWith("committed #", StringComparison.Ordinal) && l.EndsWith("subscription caller.on_greeting on hello.greetings.insert (depth 1):", StringComparison.Ordinal));
            int call = lines.IndexOf("calling hello.hello(\"Cy\", \"Happy\")");
            Assert.True(0 <= restored && restored < note && note < owed && owed < call, output);
            Assert.StartsWith("  deleted from interstice.pending_handlers ", lines[owed + 1]);
            Assert.Equal("  inserted into caller.seen {\"id\":1,\"greeting_id\":2,\"name\":\"Bo\",\"mood\":\"Happy\"}", lines[owed + 2]);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_twice_on_a_data_directory_the_second_run_carries_on_the_first_runs_state()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-example-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, error) = Repository.Cli("example", "hello", "--data-dir", directory, "Bo");
            Assert.True(exit == 0, error);
            Assert.Contains("is new: starting empty", output);
            Assert.Contains("loading hello", output);
            Assert.Contains("table hello.greetings (2 rows):", output);
            Assert.Equal(2, Directory.GetFiles(Path.Combine(directory, "modules"), "*.wasm").Length);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "log")));

            var (again, second, secondError) = Repository.Cli("example", "hello", "--data-dir", directory, "Cy", "Grumpy");
            Assert.True(again == 0, secondError);
            string[] lines = second.ReplaceLineEndings("\n").Split('\n');
            Assert.Contains(lines, l => l.StartsWith("restored from ", StringComparison.Ordinal) && l.EndsWith("modules loaded: hello, caller", StringComparison.Ordinal));
            // The modules came back from the data directory: not loaded again, init not run again.
            Assert.DoesNotContain("loading hello", second);
            Assert.DoesNotContain("on init", second);
            // Bo from the first run is still there, Cy joins with the next id, and caller's subscription still fires.
            Assert.Contains("table hello.greetings (3 rows):", lines);
            Assert.Contains(lines, l => l.StartsWith("  {\"id\":2,\"name\":\"Bo\",\"mood\":\"Happy\",", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("  {\"id\":3,\"name\":\"Cy\",\"mood\":\"Grumpy\",", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("committed #", StringComparison.Ordinal) && l.Contains("subscription caller.on_greeting", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_data_directory_that_cannot_be_restored_is_reported()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-example-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, Repository.Cli("example", "hello", "--data-dir", directory).Exit);
            foreach (string binary in Directory.GetFiles(Path.Combine(directory, "modules"))) File.Delete(binary);
            var (exit, _, error) = Repository.Cli("example", "hello", "--data-dir", directory);
            Assert.Equal(1, exit);
            Assert.Contains("cannot restore the node from", error);
            Assert.Contains("its stored binary is missing: put the module's binary back at ", error);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A data directory where another module named hello left its table: loading the shipped
    /// hello fails for two reasons, printed as the exception lists them, a line each (stderr
    /// escapes control characters: the list's line breaks are not written as text).
    /// </summary>
    [Fact]
    public void A_module_that_cannot_be_loaded_is_reported_a_problem_a_line()
    {
        string directory = Path.Combine(Path.GetTempPath(), "interstice-example-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] hello = WasmBuilds.CodelessModule("""
                { "abi_version": 1, "name": "hello", "version": "0.0.1", "visibility": "public", "authorities": [],
                  "types": [{ "name": "Item", "struct": [ { "name": "id", "type": "u64" } ] }],
                  "tables": [{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }],
                  "reducers": [], "queries": [], "subscriptions": [], "dependencies": [] }
                """);
            using (var node = new Core.Node(new Core.NodeOptions { Durability = new DurabilityOptions(directory) }))
            {
                node.LoadModule(hello);
                node.UnloadModule("hello");
            }

            var (exit, output, error) = Repository.Cli("example", "hello", "--data-dir", directory);
            Assert.Equal(1, exit);
            Assert.DoesNotContain("\\u000a", error);
            string[] lines = error.Split(Environment.NewLine);
            Assert.Equal(
            [
                "interstice example: cannot load module hello:",
                "  - table `items` holds data from the module's last load but the new binary does not declare it; remove the module (Node.RemoveModule drops its data) or keep the table",
                "  - table `greetings` is new: the node does not migrate a module's tables; remove the module first",
                "",
            ], lines);
            Assert.DoesNotContain("committed", output);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
