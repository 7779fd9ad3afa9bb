using System.Text.Json;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Transactions;

namespace Interstice.Cli.Tests.Log;

/// <summary>
/// The log commands on a directory whose log and file names hold control characters everywhere
/// a name can be (module, reducer, caller, trigger, module file name): no line they print holds
/// one, on stdout or stderr, so a print that bypasses the escaping writer fails here.
/// </summary>
public class HostileDirectoryOutputTests : IDisposable
{
    /// <summary>A newline that forges a line, a terminal escape, and the other kinds of control character.</summary>
    private const string Hostile = "evil\u001b[31m\nall valid\r\t\u0085\u009b\u007f\0";

    private const string HostileEscaped = HostileFileNameEscaped + "\\u0000";

    /// <summary>The module file's name: <see cref="Hostile"/> without its NUL (a file name cannot hold one), escaped.</summary>
    private const string HostileFileNameEscaped = "evil\\u001b[31m\\u000aall valid\\u000d\\u0009\\u0085\\u009b\\u007f";

    private readonly string _directory = Directory.CreateTempSubdirectory("interstice-hostile-").FullName;

    public HostileDirectoryOutputTests()
    {
        using (var log = CommitLog.Open(new DurabilityOptions(_directory)))
        {
            log.AppendEvent(new ModuleLoadedRecord(1, 0, Hostile, new byte[32], new byte[10]));
            log.AppendTransaction(2, 1, Inputs(CommitKind.Call, Hostile), new ChangeSetBuilder().Build());
            log.AppendTransaction(3, 2, Inputs(CommitKind.Subscription, Hostile), new ChangeSetBuilder().Build());
            log.AppendTransaction(4, 3, Inputs(CommitKind.Scheduled, Hostile), new ChangeSetBuilder().Build());
            log.AppendEvent(new ModuleRemovedRecord(5, 4, Hostile));
        }
        string modules = Directory.CreateDirectory(Path.Combine(_directory, "modules")).FullName;
        File.WriteAllBytes(Path.Combine(modules, Hostile.Replace("\0", "") + ".wasm"), [1, 2, 3]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A transaction's inputs, every name <paramref name="name"/>: no node writes such names, a hostile writer can.</summary>
    private static byte[] Inputs(CommitKind kind, string name) => new CommitInputs(kind, name, name, name, new byte[] { 0x2a }, 0, name, 1).Encode();

    /// <summary>No line of <paramref name="output"/> holds a control character (the line breaks are the writer's own).</summary>
    private static void AssertNoControlCharacters(string[] args, string output)
    {
        string? line = Array.Find(output.Split(Environment.NewLine), l => l.Any(char.IsControl));
        Assert.True(line is null, $"`interstice {string.Join(' ', args)}` printed a control character in the line: "
            + string.Concat(line?.Select(c => char.IsControl(c) ? $"<U+{(int)c:X4}>" : c.ToString()) ?? []));
    }

    [Theory]
    [InlineData("log inspect")]
    [InlineData("log inspect --module")]
    [InlineData("log verify")]
    [InlineData("log verify --files-only")]
    [InlineData("log verify --repair --yes")]
    public void No_line_printed_holds_a_control_character(string command)
    {
        // --module takes the hostile name (the records of that module are printed).
        string[] args = [.. command.Split(' '), .. command.EndsWith("--module", StringComparison.Ordinal) ? [Hostile] : Array.Empty<string>(), "--data-dir", _directory];
        var (_, output, error) = Repository.Cli(args);
        AssertNoControlCharacters(args, output);
        AssertNoControlCharacters(args, error);
        // The names were printed (escaped), not left out (--files-only names the file only).
        Assert.Contains(HostileFileNameEscaped, output + error);
    }

    [Fact]
    public void Each_hostile_name_is_printed_escaped_where_inspect_names_it()
    {
        var (exit, output, error) = Repository.Cli("log", "inspect", "--data-dir", _directory);
        Assert.True(exit == 0, error);
        Assert.Contains($"module loaded {HostileEscaped}", output);
        Assert.Contains($"call {HostileEscaped}.{HostileEscaped}(0x2a) by {HostileEscaped}", output);
        Assert.Contains($"subscription {HostileEscaped}.{HostileEscaped} on {HostileEscaped} (depth 1)", output);
        Assert.Contains($"scheduled {HostileEscaped}.{HostileEscaped}(0x2a) ({HostileEscaped})", output);
        Assert.Contains($"module removed {HostileEscaped}", output);
        Assert.DoesNotContain(output.Split(Environment.NewLine), l => l.StartsWith("all valid", StringComparison.Ordinal));
    }

    /// <summary>JSON escapes control characters itself: the names read back are the log's, not escaped twice.</summary>
    [Fact]
    public void Json_output_carries_the_names_as_they_are()
    {
        var (_, inspected, error) = Repository.Cli("log", "inspect", "--json", "--data-dir", _directory);
        Assert.DoesNotContain("\\\\u", inspected);
        string[] records = inspected.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.True(records.Length == 5, error);
        foreach (string record in records)
        {
            using var json = JsonDocument.Parse(record);
            // A node event names its module, a transaction its inputs' module.
            var named = json.RootElement.TryGetProperty("inputs", out var inputs) ? inputs : json.RootElement;
            Assert.Equal(Hostile, named.GetProperty("module").GetString());
        }

        var (_, verified, _) = Repository.Cli("log", "verify", "--json", "--data-dir", _directory);
        Assert.DoesNotContain("\\\\u", verified);
        using var report = JsonDocument.Parse(verified);
        Assert.Contains(Hostile, report.RootElement.GetProperty("start").GetProperty("fails").GetString());
    }
}
