namespace Interstice.Core.Durability;

/// <summary>
/// Where the node hands each committed transaction (to watch commits: an audit trail, a feed to a
/// replica), in commit order, before applying it to committed state and before running the
/// subscriptions it triggers. Called on the executor (one call at a time). On a durable node the
/// commit log comes first: the sink gets a transaction only once the log has accepted it (encoded
/// it into its buffer, in commit order), so it never holds one the log refused. It gets it before
/// it is durable, though: a transaction the log then fails to write, or a suffix of the log a crash
/// takes back, may have reached the sink. After a restart the node's last transaction
/// (<see cref="Node.Recovery"/>, <c>LastTransactionId</c>) is where the sink's records must end; a sink
/// that must agree with the node (a replica) drops what it holds past it.
/// A sink that throws faults the node: the transaction it failed on stands (it is applied and,
/// on a durable node, logged), but the node stops accepting writes, so the sink misses no more.
/// The subscription handlers that transaction queued do not run then; on a durable node the
/// transaction recorded them as owed, and the next start runs them. Its caller is answered once
/// the log has made it durable, with <see cref="NodeFaultedException"/> holding the sink's exception.
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
