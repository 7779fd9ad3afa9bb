using Interstice.Abi;
using Interstice.Core.Durability;

namespace Interstice.Core.Tests.Support;

/// <summary>
/// A node for tests: a manual clock, scheduled reducers run only when asked, every log entry and
/// commit record kept; loads the example modules it is given, in order.
/// </summary>
public sealed class TestNode : IDisposable
{
    private readonly List<NodeLogEntry> _logs = [];

    public TestNode(params string[] modules) : this(null, modules) { }

    public TestNode(Func<NodeOptions, NodeOptions>? configure, params string[] modules)
    {
        var options = new NodeOptions
        {
            TimeProvider = Clock,
            RunScheduledReducers = false,
            CommitSink = Commits,
            Log = entry =>
            {
                lock (_logs) _logs.Add(entry);
            },
        };
        Node = new Core.Node(configure?.Invoke(options) ?? options);
        foreach (string module in modules) Node.LoadModule(ExampleModules.Load(module));
    }

    public ManualClock Clock { get; } = new();

    public MemoryCommitLog Commits { get; } = new();

    public Core.Node Node { get; }

    /// <summary>Every log entry so far.</summary>
    public IReadOnlyList<NodeLogEntry> Logs
    {
        get
        {
            lock (_logs) return _logs.ToArray();
        }
    }

    /// <summary>The messages of log entries, as "module.function: message" (or the message alone for the node's own).</summary>
    public IReadOnlyList<string> LogLines(LogLevel? level = null) =>
        Logs.Where(e => level == null || e.Level == level).Select(e => e.Module is null ? e.Message : $"{e.Module}.{e.Function}: {e.Message}").ToArray();

    public void ClearLogs()
    {
        lock (_logs) _logs.Clear();
    }

    /// <summary>The rows of a table as JSON.</summary>
    public IReadOnlyList<string> Rows(string module, string table) => Node.ReadRowsJson(module, table);

    /// <summary>Calls a reducer with JSON arguments and returns the failure, which must happen.</summary>
    public CallFailedException Fails(string module, string reducer, string arguments = "[]") =>
        Assert.Throws<CallFailedException>(() => Node.CallReducerJson(module, reducer, arguments));

    public void Dispose() => Node.Dispose();
}
