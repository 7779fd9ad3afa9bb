using Interstice.Core.Modules;
using Interstice.Core.Transactions;

namespace Interstice.Core.Execution;

/// <summary>
/// What every export call of one call tree shares: the transaction (a write transaction for a
/// reducer, a read-only one for a query from outside), its timestamp and random stream, the
/// instances on the call stack (a module cannot be re-entered), and the budget: what ran out, and
/// the deadline the <see cref="Watchdog"/> enforces. The executor reuses one scope for every write
/// transaction; queries from outside take pooled ones.
/// </summary>
internal sealed class CallScope
{
    private readonly Lock _lock = new();
    private GuestInstance[] _stack = new GuestInstance[8];
    /// <summary>Every instance that ran in the current tree (to discard them if the watchdog interrupted it).</summary>
    private readonly List<GuestInstance> _entered = [];
    private int _depth;
    /// <summary>When the tree must stop, in <see cref="Environment.TickCount64"/> milliseconds (a cheap clock, precise enough for the watchdog's ticks); 0 when nothing runs.</summary>
    private long _deadline;
    private bool _interrupted;
    private ulong _random;
    /// <summary>Set when a call of the tree ran out of fuel or time: the whole tree fails with this message.</summary>
    private string? _exhausted;
    private CallFailure _exhaustedKind;

    public Transaction Transaction { get; private set; } = null!;

    /// <summary>True for a query called from outside: no writes anywhere in the tree, queries run on pooled instances.</summary>
    public bool IsReadOnly { get; private set; }

    /// <summary>Microseconds since the Unix epoch: the transaction's time.</summary>
    public long Timestamp { get; private set; }

    public void Begin(Transaction transaction, bool readOnly, long timestamp, ulong seed, TimeSpan? deadline)
    {
        Transaction = transaction;
        IsReadOnly = readOnly;
        Timestamp = timestamp;
        _random = seed;
        _exhausted = null;
        // The watchdog reads it without the lock: a long is written atomically.
        if (deadline is { } limit) Volatile.Write(ref _deadline, Environment.TickCount64 + (long)Math.Ceiling(limit.TotalMilliseconds));
    }

    /// <summary>Forgets the transaction. Instances of a tree the watchdog interrupted are discarded: an interrupt may still be pending on them.</summary>
    public void End()
    {
        Transaction = null!;
        Array.Clear(_stack, 0, _depth);
        _depth = 0;
        bool interrupted;
        lock (_lock)
        {
            _deadline = 0;
            interrupted = _interrupted;
            _interrupted = false;
        }
        if (interrupted)
        {
            foreach (var guest in _entered) guest.Discard();
        }
        _entered.Clear();
    }

    /// <summary>
    /// Called by the <see cref="Watchdog"/>: interrupts every instance of the tree when its
    /// deadline has passed. Each instance stops when control is back in its code. The stack may be
    /// read while it changes: an instance pushed meanwhile sees the flag (<see cref="Push"/>), one
    /// popped meanwhile is discarded with the others at <see cref="End"/>.
    /// </summary>
    public void InterruptIfLate(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline == 0 || now < deadline) return;
        lock (_lock)
        {
            if (_deadline == 0 || _interrupted) return;
            Volatile.Write(ref _interrupted, true);
            Interlocked.MemoryBarrier();
            var stack = _stack;
            for (int i = 0, depth = Math.Min(Volatile.Read(ref _depth), stack.Length); i < depth; i++) stack[i]?.Interrupt();
        }
    }

    /// <summary>Records that a call of the tree ran out of fuel or time; the first reason stands.</summary>
    public void Exhaust(CallFailure kind, string message)
    {
        if (_exhausted != null) return;
        _exhausted = message;
        _exhaustedKind = kind;
    }

    /// <summary>
    /// The tree's outcome given its outermost call's: a callee that used up the budget fails the
    /// whole tree, even if its caller carried on.
    /// </summary>
    public CallOutcome Settle(CallOutcome outcome) =>
        outcome.Succeeded && _exhausted != null ? CallOutcome.Failed(_exhaustedKind, _exhausted) : outcome;

    public ulong NextRandom() => TransactionRandom.Next(ref _random);

    /// <summary>True when <paramref name="module"/> has an export call running in this tree.</summary>
    public bool IsOnStack(LoadedModule module)
    {
        for (int i = 0; i < _depth; i++)
        {
            if (_stack[i].Module == module) return true;
        }
        return false;
    }

    /// <summary>The modules on the call stack, outermost first: <c>a -> b -> c</c>.</summary>
    public string DescribeStack(LoadedModule next)
    {
        var names = new string[_depth + 1];
        for (int i = 0; i < _depth; i++) names[i] = _stack[i].Module.Name;
        names[_depth] = next.Name;
        return string.Join(" -> ", names);
    }

    public void Push(GuestInstance guest)
    {
        _entered.Add(guest);
        if (_depth == _stack.Length) Array.Resize(ref _stack, _depth * 2);
        _stack[_depth] = guest;
        Volatile.Write(ref _depth, _depth + 1);
        // Pairs with the watchdog's barrier: either it sees this instance or this sees its flag.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _interrupted)) guest.Interrupt();
    }

    public void Pop()
    {
        Volatile.Write(ref _depth, _depth - 1);
        _stack[_depth] = null!;
    }
}
