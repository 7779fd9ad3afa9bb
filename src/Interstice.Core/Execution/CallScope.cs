using System.Diagnostics;
using Interstice.Core.Modules;
using Interstice.Core.Transactions;

namespace Interstice.Core.Execution;

/// <summary>
/// What every export call of one call tree shares: the transaction (a write transaction for a
/// reducer, a read-only one for a query from outside), its timestamp and random stream, the
/// modules on the call stack (a module cannot be re-entered), and the budget. The executor reuses
/// one scope for every write transaction.
/// </summary>
internal sealed class CallScope
{
    private LoadedModule[] _stack = new LoadedModule[8];

    public Transaction Transaction { get; private set; } = null!;

    /// <summary>True for a query called from outside: no writes anywhere in the tree, queries run on pooled instances.</summary>
    public bool IsReadOnly { get; private set; }

    /// <summary>Microseconds since the Unix epoch: the transaction's time.</summary>
    public long Timestamp { get; private set; }

    /// <summary>The seed of the random stream, recorded with the transaction.</summary>
    public ulong Seed { get; private set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp after which calls are interrupted; 0 for none.</summary>
    public long Deadline { get; private set; }

    /// <summary>Set when a call of the tree ran out of fuel or time: the whole transaction fails with this message.</summary>
    public string? Exhausted { get; set; }

    /// <summary>How the budget ran out, when <see cref="Exhausted"/> is set.</summary>
    public CallFailure ExhaustedKind { get; set; }

    public int Depth { get; private set; }

    private ulong _random;

    public void Begin(Transaction transaction, bool readOnly, long timestamp, ulong seed, TimeSpan? deadline)
    {
        Transaction = transaction;
        IsReadOnly = readOnly;
        Timestamp = timestamp;
        Seed = seed;
        _random = seed;
        Deadline = deadline is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : 0;
        Exhausted = null;
        Depth = 0;
    }

    /// <summary>Forgets the transaction.</summary>
    public void End()
    {
        Transaction = null!;
        Array.Clear(_stack, 0, Depth);
        Depth = 0;
    }

    public ulong NextRandom() => TransactionRandom.Next(ref _random);

    /// <summary>True when <paramref name="module"/> has an export call running in this tree.</summary>
    public bool IsOnStack(LoadedModule module)
    {
        for (int i = 0; i < Depth; i++)
        {
            if (_stack[i] == module) return true;
        }
        return false;
    }

    /// <summary>The modules on the call stack, outermost first: <c>a -> b -> c</c>.</summary>
    public string DescribeStack(LoadedModule next)
    {
        var names = new string[Depth + 1];
        for (int i = 0; i < Depth; i++) names[i] = _stack[i].Name;
        names[Depth] = next.Name;
        return string.Join(" -> ", names);
    }

    public void Push(LoadedModule module)
    {
        if (Depth == _stack.Length) Array.Resize(ref _stack, Depth * 2);
        _stack[Depth++] = module;
    }

    public void Pop() => _stack[--Depth] = null!;

    /// <summary>The time left before the deadline, or null when there is none.</summary>
    public TimeSpan? TimeLeft()
    {
        if (Deadline == 0) return null;
        long left = Deadline - Stopwatch.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
    }
}
