namespace Interstice.Core.Durability;

/// <summary>
/// Where the node hands each committed transaction, in commit order, before applying it to
/// committed state and before running the subscriptions it triggers. Called on the executor (one
/// call at a time). A sink that throws faults the node: it stops accepting writes, since the
/// transaction can no longer be known to be durable.
/// </summary>
public interface ICommitSink
{
    void Append(CommitRecord record);
}

/// <summary>Ready-made sinks.</summary>
public static class CommitSinks
{
    /// <summary>Keeps nothing (state lives in memory only).</summary>
    public static ICommitSink Discard { get; } = new DiscardSink();

    private sealed class DiscardSink : ICommitSink
    {
        public void Append(CommitRecord record) { }
    }
}

/// <summary>Keeps every record in memory, in order (for tests and tools).</summary>
public sealed class MemoryCommitLog : ICommitSink
{
    private readonly List<CommitRecord> _records = [];

    /// <summary>The records so far, oldest first (a copy).</summary>
    public IReadOnlyList<CommitRecord> Records
    {
        get
        {
            lock (_records) return _records.ToArray();
        }
    }

    public void Append(CommitRecord record)
    {
        lock (_records) _records.Add(record);
    }
}
