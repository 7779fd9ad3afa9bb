using Interstice.Core.Durability.Recovery;

namespace Interstice.Core.Durability.Verification;

/// <summary>
/// What a node's start would make of a data directory, found by running its restore (the node's
/// system tables, the handler that rebuilds module tables, <see cref="LogRecovery"/> in a
/// read-only mode) without running WebAssembly and without writing anything, then making the
/// checks a start makes of every module <c>interstice.modules</c> records as loaded, in the
/// order a start restores them, with the start's own code: its binary is in <c>modules/</c> and
/// hashes to its record; it compiles (none of it runs) to a module whose contract can be read;
/// and it passes the load checks (<c>ModuleLoadCheck</c>: imports and exports, authorities,
/// dependencies, its declared tables against those recovery rebuilt from the log).
/// <para>
/// What the directory does not record is taken from the <see cref="NodeOptions"/> given to
/// <see cref="LogVerifier.Verify(string, bool, NodeOptions)"/> (by default a node's defaults):
/// the node's name, which says which dependencies are on this node, and the authorities it
/// grants. A start stops at the first module that fails; the rehearsal checks every module,
/// counting each one as restored for those after it, so that each problem is the module's own.
/// </para>
/// <para>
/// Not checked: instantiation (it would run the module's start function, if any, and allocate
/// its memory), nor anything after it, such as running the handler calls the state owes
/// (<see cref="OwedHandlerCalls"/>: counted, and those a start would drop named). When the start fails before it loads modules
/// (<see cref="Failure"/>), the modules' binaries are checked by their hash only.
/// </para>
/// </summary>
public sealed class RestoreCheck
{
    internal RestoreCheck(IReadOnlyList<UnfitSnapshot> unfitSnapshots, SnapshotFile? snapshot, long recordsReplayed, string? failure, IReadOnlyList<NeededModule> modules)
    {
        UnfitSnapshots = unfitSnapshots;
        Snapshot = snapshot;
        RecordsReplayed = recordsReplayed;
        Failure = failure;
        Modules = modules;
    }

    /// <summary>Snapshots whose checksums hold but whose content does not fit: a start skips them (newest first), also when the start then fails.</summary>
    public IReadOnlyList<UnfitSnapshot> UnfitSnapshots { get; }

    /// <summary>The snapshot a start restores from (null: the log's beginning, or the start fails).</summary>
    public SnapshotFile? Snapshot { get; }

    /// <summary>The log records a start replays after <see cref="Snapshot"/>.</summary>
    public long RecordsReplayed { get; }

    /// <summary>
    /// The subscription handler calls the restored state still owes (rows of
    /// <c>interstice.pending_handlers</c>: a crash came between a transaction and its handlers),
    /// which a start runs once it has loaded the modules, before it accepts calls, dropping with a
    /// warning those it cannot run (<see cref="DroppedHandlerCalls"/>; docs/node.md,
    /// Subscriptions); all are counted. Their runs are not rehearsed: they run WebAssembly.
    /// </summary>
    public long OwedHandlerCalls { get; internal init; }

    /// <summary>
    /// The owed handler calls (<see cref="OwedHandlerCalls"/>) a start drops with a warning
    /// instead of running them, checked as a start checks them against the modules it restores:
    /// the module is not loaded, its reducer is gone or handles no subscription, the arguments
    /// do not decode as the handler's, or the depth is not within 1 to the node's
    /// <see cref="NodeOptions.MaxSubscriptionDepth"/> (taken from the options given to verify).
    /// Empty when a module cannot be restored (the start fails before it runs any).
    /// </summary>
    public IReadOnlyList<DroppedHandlerCall> DroppedHandlerCalls { get; internal init; } = [];

    /// <summary>Why a start stops (naming the file, offset, transaction or module), or null.</summary>
    public string? Failure { get; }

    /// <summary>
    /// The start failed because the log does not reach back to the state it had to start from
    /// (when that is the newest valid snapshot, <see cref="VerificationReport.CoverageProblem"/> says so too).
    /// </summary>
    public bool FailureIsLogGap { get; internal init; }

    /// <summary>
    /// Why the rehearsal could not finish, when the directory changed under it (a file it listed
    /// was gone when it came to read it: a node running on the directory retires files as it
    /// goes); what a start would do is then not known. Null when it finished.
    /// </summary>
    public string? Interrupted { get; internal init; }

    /// <summary>
    /// Every module a start loads (recorded as loaded in <c>interstice.modules</c>), with its
    /// binary; a module whose recorded hash is not a sha-256 is left out (it names no file;
    /// <see cref="Failure"/> names the module).
    /// </summary>
    public IReadOnlyList<NeededModule> Modules { get; }

    /// <summary>A start restores the directory as it is: no snapshot skipped for its content, no failure, every module it loads there and fitting, no owed handler call dropped.</summary>
    public bool IsClean => UnfitSnapshots.Count == 0 && Failure == null && Interrupted == null && Modules.All(m => m.Problem == null) && DroppedHandlerCalls.Count == 0;
}

/// <summary>A module a start loads, and the binary it loads it from.</summary>
/// <param name="Name">The module.</param>
/// <param name="Version">Its version as recorded.</param>
/// <param name="Hash">The SHA-256 recorded for it.</param>
/// <param name="Path">Where its binary must be (<c>modules/&lt;sha-256&gt;.wasm</c>).</param>
/// <param name="Problem">
/// Why a start cannot restore it, said of its binary: missing, other bytes, unreadable, not a
/// module (<c>is not a module: </c> and why), or refused by the load checks (<c>cannot be
/// restored: </c> and the <see cref="ModuleLoadException"/>'s message, as a start says it);
/// null when it would be restored.
/// </param>
public readonly record struct NeededModule(string Name, string Version, string Hash, string Path, string? Problem);

/// <summary>An owed subscription handler call a start drops with a warning instead of running it.</summary>
/// <param name="Id">Its row's id in <c>interstice.pending_handlers</c> (the order calls were queued).</param>
/// <param name="Module">The handler's module.</param>
/// <param name="Reducer">The handler.</param>
/// <param name="Event">The event it was to handle (<c>module.table.kind</c>).</param>
/// <param name="Problem">Why a start cannot run it, as the start's warning says it.</param>
public readonly record struct DroppedHandlerCall(ulong Id, string Module, string Reducer, string Event, string Problem);
