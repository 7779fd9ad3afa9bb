using System.Text.Json;
using Interstice.Abi;
using Interstice.Abi.Types;
using Interstice.Core;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Transactions;

namespace Interstice.Cli.Commands.Example;

/// <summary>
/// <c>interstice example hello</c>: runs a node with the example modules hello (public) and caller
/// (private; it subscribes to hello's inserts), calls hello's reducer with the command line's
/// arguments, and prints what happened: every committed transaction with its row changes (the
/// call, and the subscriptions it triggered), the modules' logs, and hello's table.
/// </summary>
internal sealed class ExampleCommand : ICommand
{
    private const string Module = "hello";
    private const string Reducer = "hello";

    public string Name => "example";

    public string Summary => "Run a node with the hello example: call its reducer, show the tables and what the subscriptions did";

    public string Usage => """
        usage: interstice example hello [--data-dir DIR] [NAME [MOOD]]

        Starts a node in this process, loads the example modules hello and caller (shipped with
        the CLI; built from modules/), calls hello.hello(NAME, MOOD) as one transaction, and
        prints every committed transaction with its row changes (the call, hello's init, and
        caller's subscription to hello.greetings.insert), the modules' log lines and hello's table.
          NAME         who to greet (without it, only init runs)
          MOOD         Happy, Neutral or Grumpy (default: Happy)
          --data-dir DIR  the node's data directory: the node is durable (policy sync) and keeps
                          its commit log, snapshots and the modules' binaries there; a second
                          run restores the first run's state (modules and rows) from it instead
                          of loading the modules again. Without it the node lives in memory only.
        Arguments are read as JSON when they parse as the parameter's type, otherwise as text.
        Exit code 1 when the reducer fails (nothing it wrote is kept).
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir"], []);
        if (arguments.Positional.Count == 0 || arguments.Positional[0] != Module)
            throw new UsageException($"name the example to run: {Module}");
        var values = arguments.Positional.Skip(1).ToList();
        if (values.Count == 1) values.Add("Happy");
        if (values.Count > 2) throw new UsageException($"hello.hello takes a name and a mood, not {values.Count} arguments");

        var printer = new Printer(stdout);
        string? dataDirectory = arguments.Get("data-dir");
        Node node;
        try
        {
            node = new Node(new NodeOptions
            {
                Durability = dataDirectory is null ? null : new DurabilityOptions(dataDirectory),
                CommitSink = printer,
                Log = printer.Log,
            });
        }
        catch (Exception e) when (e is RecoveryException or IOException)
        {
            stderr.WriteLine($"interstice example: cannot restore the node from {dataDirectory}: {e.Message}");
            return 1;
        }
        using var _ = node;
        printer.Node = node;
        if (node.Recovery is { } recovery)
        {
            printer.Line(recovery.LastTransactionId == 0
                ? $"data directory {Path.GetFullPath(dataDirectory!)} is new: starting empty"
                : $"restored from {Path.GetFullPath(dataDirectory!)}: {recovery.RecordsReplayed} logged transaction(s) replayed, "
                  + $"{recovery.SnapshotRows} row(s) from a snapshot; modules loaded: {string.Join(", ", node.Modules.Select(m => m.Name))}");
        }
        try
        {
            foreach (string name in new[] { "hello", "caller" })
            {
                if (node.Modules.Any(m => m.Name == name)) continue;
                printer.Line($"loading {name}");
                var info = node.LoadModule(ExampleModules.Load(name));
                printer.Line($"loaded {info.Name} {info.Version} ({info.Schema.Visibility.ToString().ToLowerInvariant()}, sha-256 {info.ContentHash[..16]}...)");
            }
        }
        catch (ModuleLoadException e)
        {
            stderr.WriteLine($"interstice example: {e.Message}");
            return 1;
        }

        int exit = 0;
        if (values.Count == 0)
        {
            printer.Line("no name given: only init ran (interstice example hello NAME [MOOD] calls hello.hello)");
        }
        else
        {
            var reducer = node.Modules.First(m => m.Name == Module).Schema.FindReducer(Reducer)!;
            string json = ArgumentsJson(reducer.Args, values);
            printer.Line($"calling {Module}.{Reducer}{json}");
            try
            {
                node.CallReducerJson(Module, Reducer, "[" + json[1..^1] + "]");
            }
            catch (CallFailedException e)
            {
                printer.Line($"failed ({e.Failure}): {e.Message}; nothing it wrote was kept");
                exit = 1;
            }
        }

        var rows = node.ReadRowsJson(Module, "greetings");
        printer.Line($"table {Module}.greetings ({rows.Count} row{(rows.Count == 1 ? "" : "s")}):");
        foreach (string row in rows) printer.Line("  " + row);
        if (dataDirectory is not null) printer.Line($"state kept in {Path.GetFullPath(dataDirectory)} (run again with --data-dir to carry it on)");
        return exit;
    }

    /// <summary>
    /// The arguments as a JSON argument list, "(a, b)": each is taken as JSON when it parses as
    /// its parameter's type, otherwise as a string (so <c>Ann</c> and <c>Happy</c> need no quotes).
    /// </summary>
    private static string ArgumentsJson(EquatableArray<Field> parameters, List<string> values)
    {
        var parts = new List<string>();
        for (int i = 0; i < values.Count; i++)
        {
            bool text = parameters[i].Type.Tag == TypeTag.String || !IsJson(values[i]);
            parts.Add(text ? JsonSerializer.Serialize(values[i]) : values[i]);
        }
        return "(" + string.Join(", ", parts) + ")";
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Prints commits and log lines as the node produces them (all on this thread).</summary>
    private sealed class Printer(TextWriter output) : ICommitSink
    {
        public Node Node { get; set; } = null!;

        public void Line(string text) => output.WriteLine(text);

        public void Log(NodeLogEntry entry)
        {
            // The node's own note that a handler ran is shown with its commit instead.
            if (!entry.FromModule && entry.Level == LogLevel.Debug) return;
            Line($"  log {entry}");
        }

        public void Append(CommitRecord record)
        {
            string what = record.Kind switch
            {
                CommitKind.Call => $"{record.Module}.{record.Function} (called by a client)",
                CommitKind.Subscription => $"subscription {record.Module}.{record.Function} on {record.Trigger} (depth {record.Depth})",
                CommitKind.Scheduled => $"{record.Module}.{record.Function} ({record.Trigger})",
                _ => $"node: {record.Kind} {record.Module}",
            };
            Line($"committed #{record.Sequence} {what}:");
            foreach (var change in record.Changes.Rows)
            {
                string table = change.Table.QualifiedName;
                Line(change.Kind switch
                {
                    RowChangeKind.Insert => $"  inserted into {table} {Format(change.Table, change.NewRow)}",
                    RowChangeKind.Delete => $"  deleted from {table} {Format(change.Table, change.OldRow)}",
                    _ => $"  updated {table} {Format(change.Table, change.OldRow)} -> {Format(change.Table, change.NewRow)}",
                });
            }
        }

        private string Format(Core.Storage.Table table, ReadOnlyMemory<byte> row) => Node.FormatRow(table.Module, table.Name, row.Span);
    }
}
