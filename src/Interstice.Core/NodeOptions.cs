using Interstice.Abi.Schema;
using Interstice.Core.Durability;

namespace Interstice.Core;

/// <summary>How a <see cref="Node"/> runs: its name, the budget of each call, limits, time, where commits and logs go.</summary>
public sealed record NodeOptions
{
    /// <summary>The node's name. A call naming another node fails with <c>NodeUnreachable</c> (there is no networking yet).</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>
    /// The fuel (WebAssembly instructions, counted deterministically) a call from outside may use,
    /// shared by every call it makes to other modules. A call that uses it up fails with
    /// <see cref="CallFailure.OutOfFuel"/> and its transaction rolls back.
    /// </summary>
    public long FuelPerCall { get; init; } = 1_000_000_000;

    /// <summary>The wall-clock time a call from outside may take (null: no deadline); past it the call fails with <see cref="CallFailure.DeadlineExceeded"/>.</summary>
    public TimeSpan? CallDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most 64 KiB pages a module instance's memory may grow to; growing beyond fails as <c>memory.grow</c> does.</summary>
    public uint MaxMemoryPages { get; init; } = 1024;

    /// <summary>
    /// How deep subscription cascades may go: the handlers of a call's events run at depth 1, the
    /// handlers of their events at depth 2... A handler that would run deeper is not run; the node
    /// logs an error naming it and keeps serving.
    /// </summary>
    public int MaxSubscriptionDepth { get; init; } = 8;

    /// <summary>The authorities the node can grant (null: any). Each is granted to at most one module at a time.</summary>
    public IReadOnlySet<string>? GrantableAuthorities { get; init; }

    /// <summary>The clock transactions are stamped with (<c>time_now</c>) and schedules are due by.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Receives one record per committed transaction, in commit order, after the commit log has
    /// accepted it and before it is applied (to watch commits; durability is
    /// <see cref="Durability"/>'s business: <see cref="ICommitSink"/> says what the sink may
    /// see), on the thread running the transaction (under the Sync policy possibly another
    /// caller's: docs/node.md, Order). A sink that throws faults the node.
    /// </summary>
    public ICommitSink CommitSink { get; init; } = CommitSinks.Discard;

    /// <summary>
    /// Receives module log messages (<c>ctx.log</c>) and the node's own reports (failed handlers,
    /// stopped cascades, failed scheduled reducers). Called from the threads that run calls, queries
    /// included: it must be thread-safe. Null: logs are dropped.
    /// </summary>
    public Action<NodeLogEntry>? Log { get; init; }

    /// <summary>When true, scheduled reducers run by themselves when due; otherwise only through <see cref="Node.RunDueSchedules"/>.</summary>
    public bool RunScheduledReducers { get; init; } = true;

    /// <summary>How many instances per module are kept for queries, which run concurrently.</summary>
    public int QueryInstancesPerModule { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Where and how the node keeps its state durable: its data directory (commit log, snapshots,
    /// the binaries of the modules it loads under <c>modules/&lt;sha-256&gt;.wasm</c>) and the
    /// fsync policy. Null (the default): the node keeps everything in memory and writes no file;
    /// its state is gone when it stops. A durable node restores its state from the directory when
    /// it starts.
    /// </summary>
    public DurabilityOptions? Durability { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of its range (checked by a node, and by a log check rehearsing a node's start).</summary>
    internal void Validate()
    {
        const string name = "options";
        if (FuelPerCall <= 0) throw new ArgumentOutOfRangeException(name, FuelPerCall, "FuelPerCall must be positive");
        if (CallDeadline is { } deadline && deadline <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, deadline, "CallDeadline must be positive (or null for none)");
        if (MaxSubscriptionDepth < 1) throw new ArgumentOutOfRangeException(name, MaxSubscriptionDepth, "MaxSubscriptionDepth must be at least 1");
        if (QueryInstancesPerModule < 0) throw new ArgumentOutOfRangeException(name, QueryInstancesPerModule, "QueryInstancesPerModule cannot be negative");
        if (!Names.IsModuleName(NodeName)) throw new ArgumentException($"'{NodeName}' is not a node name: letters, digits, '_' and '-', starting with a letter", name);
    }
}
