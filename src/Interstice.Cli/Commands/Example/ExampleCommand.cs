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
                          of loading the modules again. One node at a time: a run while
                          another holds DIR is refused. Without it the node lives in memory only.
        Arguments are read as JSON when they parse as the parameter's type, otherwise as text.
        A transaction is shown as committed once the call that made it has returned (durable).
        Exit codes: 0 done; 1 when the reducer fails (nothing it wrote is kept), or DIR cannot
        be restored, read or written (a full disk included), or another node holds it; 2 wrong
        command line.
        """;

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var arguments = CommandArguments.Parse(args, ["data-dir"], []);
        // A refused restore's message, and what a start reports (the commits and warnings of the
        // handler calls it runs for the run before), quote names from the data directory, which
        // may be damaged or hostile: both streams escape their control characters.
        stdout = new ControlEscapingWriter(stdout);
        stderr = new ControlEscapingWriter(stderr);
        if (arguments.Positional.Count == 0 || arguments.Positional[0] != Module)
            throw new UsageException($"name the example to run: {Module}");
        var values = arguments.Positional.Skip(1).ToList();
        if (values.Count == 1) values.Add("Happy");
        if (values.Count > 2) throw new UsageException($"hello.hello takes a name and a mood, not {values.Count} arguments");

        var printer = new Printer(stdout);
        string? dataDirectory = arguments.GetPath("data-dir");
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
        catch (DataDirectoryInUseException e)
        {
            // Its message says it all; the IOException catch below would call it a failed restore.
            stderr.WriteLine($"interstice example: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is RecoveryException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"interstice example: cannot restore the node from {dataDirectory}: {e.Message}");
            return 1;
        }
        catch (NodeFaultedException e)
        {
            // The start ran the handler calls the run before left owed, and its log or the printer failed.
            stderr.WriteLine($"interstice example: the node stopped while starting on {dataDirectory}: {e.Message}");
            return 1;
        }
        using var _ = node;
        printer.Started(node, node.Recovery is not { } recovery ? null
            : recovery.LastTransactionId == 0 ? $"data directory {Path.GetFullPath(dataDirectory!)} is new: starting empty"
            : $"restored from {Path.GetFullPath(dataDirectory!)}: {recovery.RecordsReplayed} logged transaction(s) replayed, "
              + $"{recovery.SnapshotRows} row(s) from a snapshot; modules loaded: {string.Join(", ", node.Modules.Select(m => m.Name))}");

        int exit = 0;
        try
        {
            foreach (string name in new[] { "hello", "caller" })
            {
                if (node.Modules.Any(m => m.Name == name)) continue;
                printer.Line($"loading {name}");
                var info = printer.Committing(() => node.LoadModule(ExampleModules.Load(name)));
                printer.Line($"loaded {info.Name} {info.Version} ({info.Schema.Visibility.ToString().ToLowerInvariant()}, sha-256 {info.ContentHash[..16]}...)");
            }

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
                    printer.Committing(() => node.CallReducerJson(Module, Reducer, "[" + json[1..^1] + "]"));
                }
                catch (CallFailedException e)
                {
                    printer.Line($"failed ({e.Failure}): {e.Message}; nothing it wrote was kept");
                    exit = 1;
                }
            }
        }
        catch (ModuleLoadException e)
        {
            // Several problems are listed a line each (as the message does): printed as lines.
            if (e.Problems.Count == 1) stderr.WriteLine($"interstice example: {e.Message}");
            else
            {
                stderr.WriteLine($"interstice example: cannot load module {e.Module}:");
                foreach (string problem in e.Problems) stderr.WriteLine($"  - {problem}");
            }
            return 1;
        }
        catch (NodeFaultedException e)
        {
            // The log failed on this call's append or before it (a later transaction of the call,
            // such as one its subscriptions make, finds the node faulted): the node stops writing.
            // A binary that cannot be stored, or a transaction the log failed to make durable
            // while the call waited for it (CommitLogFailedException), is an IOException: the
            // command line reports it, on one line with exit code 1 as here.
            stderr.WriteLine($"interstice example: {e.Message}");
            return 1;
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

    /// <summary>
    /// Prints commits and log lines as the node produces them (all on this thread). While a node
    /// call is <see cref="Committing{T}"/>, the lines wait: a commit is claimed ("committed #N")
    /// only once the call returned, that is once its records are durable; when the call fails
    /// on the log, the log lines are printed and the commits it could not make durable are not.
    /// </summary>
    private sealed class Printer(TextWriter output) : ICommitSink
    {
        private readonly List<(string Text, bool Commit)> _held = [];
        private bool _holding;
        /// <summary>Commits appended while holding.</summary>
        private int _heldCommits;

        /// <summary>The node, once its constructor returned; until then what it reports waits in <see cref="_beforeStart"/>.</summary>
        private Node? _node;
        /// <summary>
        /// What the start reported (log lines, and the commits of the handler calls the run
        /// before left owed), in order: rows are formatted by the node's schemas, so they print
        /// once it exists, after what the start restored.
        /// </summary>
        private readonly List<object> _beforeStart = [];

        /// <summary>Prints <paramref name="heading"/> (what was restored), then what the start reported.</summary>
        public void Started(Node node, string? heading)
        {
            _node = node;
            if (heading != null) output.WriteLine(heading);
            foreach (object item in _beforeStart)
            {
                if (item is CommitRecord record) Append(record);
                else output.WriteLine((string)item);
            }
            _beforeStart.Clear();
        }

        public void Line(string text) => Write(text, commit: false);

        /// <summary>Runs <paramref name="call"/>, holding the lines it causes until it returns (or throws <see cref="CallFailedException"/>: what it committed before is durable).</summary>
        public T Committing<T>(Func<T> call)
        {
            _holding = true;
            bool durable = false;
            try
            {
                var result = call();
                durable = true;
                return result;
            }
            catch (CallFailedException)
            {
                durable = true;
                throw;
            }
            finally
            {
                _holding = false;
                foreach (var (text, commit) in _held)
                {
                    if (durable || !commit) output.WriteLine(text);
                }
                if (!durable && _heldCommits > 0) output.WriteLine($"not committed: {_heldCommits} transaction(s) of this step were not made durable (a restart may or may not find them)");
                _held.Clear();
                _heldCommits = 0;
            }
        }

        public void Committing(Action call) => Committing(() =>
        {
            call();
            return 0;
        });

        public void Log(NodeLogEntry entry)
        {
            // The node's own note that a handler ran is shown with its commit instead.
            if (!entry.FromModule && entry.Level == LogLevel.Debug) return;
            Line($"  log {entry}");
        }

        public void Append(CommitRecord record)
        {
            if (_node == null)
            {
                _beforeStart.Add(record);
                return;
            }
            string what = record.Kind switch
            {
                CommitKind.Call => $"{record.Module}.{record.Function} (called by a client)",
                CommitKind.Subscription => $"subscription {record.Module}.{record.Function} on {record.Trigger} (depth {record.Depth})",
                CommitKind.Scheduled => $"{record.Module}.{record.Function} ({record.Trigger})",
                _ => $"node: {record.Kind} {record.Module}",
            };
            if (_holding) _heldCommits++;
            Write($"committed #{record.Sequence} {what}:", commit: true);
            foreach (var change in record.Changes.Rows)
            {
                string table = change.Table.QualifiedName;
                Write(change.Kind switch
                {
                    RowChangeKind.Insert => $"  inserted into {table} {Format(change.Table, change.NewRow)}",
                    RowChangeKind.Delete => $"  deleted from {table} {Format(change.Table, change.OldRow)}",
                    _ => $"  updated {table} {Format(change.Table, change.OldRow)} -> {Format(change.Table, change.NewRow)}",
                }, commit: true);
            }
        }

        private void Write(string text, bool commit)
        {
            if (_node == null) _beforeStart.Add(text);
            else if (_holding) _held.Add((text, commit));
            else output.WriteLine(text);
        }

        private string Format(Core.Storage.Table table, ReadOnlyMemory<byte> row) => _node!.FormatRow(table.Module, table.Name, row.Span);
    }
}
