using Interstice.Core.Transactions;

namespace Interstice.Core.Durability;

/// <summary>What started a committed transaction.</summary>
public enum CommitKind
{
    /// <summary>A reducer called from outside the node.</summary>
    Call,

    /// <summary>A subscription handler (<c>init</c> or a table event). A first load's first <c>init</c> handler also writes the module's row in <c>interstice.modules</c>.</summary>
    Subscription,

    /// <summary>A scheduled reducer that came due (its schedule row is deleted in the same transaction, even when the reducer fails).</summary>
    Scheduled,

    /// <summary>A module was loaded: its row in <c>interstice.modules</c> written (on a first load only when the module has no <c>init</c> handler, else by that handler's transaction).</summary>
    ModuleLoaded,

    /// <summary>A module was unloaded: its tables stay, its row in <c>interstice.modules</c> says it is not loaded.</summary>
    ModuleUnloaded,

    /// <summary>A module was removed: its tables were dropped, its row and schedules deleted.</summary>
    ModuleRemoved,
}

/// <summary>
/// One committed transaction, as the node hands it to its <see cref="ICommitSink"/> (after the
/// commit log, before applying it): what ran (module, reducer, arguments, caller), when
/// (timestamp, which fixes <c>time_now</c>), the seed of its random stream, and its net effect
/// on every table it touched, scheduled calls included (they are rows of
/// <c>interstice.schedules</c>). Replaying the change sets in sequence order rebuilds the state
/// without running any WebAssembly.
/// </summary>
public sealed class CommitRecord
{
    internal CommitRecord(long sequence, CommitKind kind, string module, string? function, string caller,
        ReadOnlyMemory<byte> arguments, long timestamp, ulong randomSeed, string? trigger, int depth, ChangeSet changes)
    {
        Sequence = sequence;
        Kind = kind;
        Module = module;
        Function = function;
        Caller = caller;
        Arguments = arguments;
        Timestamp = timestamp;
        RandomSeed = randomSeed;
        Trigger = trigger;
        Depth = depth;
        Changes = changes;
    }

    /// <summary>The transaction's number in the node's order (transactions that changed nothing are numbered too, not recorded).</summary>
    public long Sequence { get; }

    public CommitKind Kind { get; }

    /// <summary>The module called, loaded or removed.</summary>
    public string Module { get; }

    /// <summary>The reducer that ran; null for module loads and removals.</summary>
    public string? Function { get; }

    /// <summary>Who asked: <c>client</c> for a call from outside, <c>node</c> for handlers, schedules and module management.</summary>
    public string Caller { get; }

    /// <summary>The encoded arguments (the tuple of the reducer's arguments).</summary>
    public ReadOnlyMemory<byte> Arguments { get; }

    /// <summary>Microseconds since the Unix epoch: the transaction's time.</summary>
    public long Timestamp { get; }

    /// <summary>The seed of the transaction's random stream.</summary>
    public ulong RandomSeed { get; }

    /// <summary>For a handler, the event it handled (<c>init</c>, <c>hello.greetings.insert</c>); for a scheduled reducer, its schedule id.</summary>
    public string? Trigger { get; }

    /// <summary>For a handler, its depth in the subscription cascade (1 for events of a call); otherwise 0.</summary>
    public int Depth { get; }

    /// <summary>The transaction's net effect on every table it touched.</summary>
    public ChangeSet Changes { get; }

    public override string ToString() =>
        $"#{Sequence} {Kind} {Module}{(Function is null ? "" : "." + Function)}{(Trigger is null ? "" : $" ({Trigger})")}: {Changes.Rows.Length} row change(s)";
}
