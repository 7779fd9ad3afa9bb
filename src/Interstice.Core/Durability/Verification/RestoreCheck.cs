using Interstice.Core.Durability.Recovery;

namespace Interstice.Core.Durability.Verification;

/// <summary>
/// What a node's start would make of a data directory, found by running its restore (the node's
/// system tables, the handler that rebuilds module tables, <see cref="LogRecovery"/> in a
/// read-only mode) without running WebAssembly and without writing anything, then checking that
/// the binary of every module <c>interstice.modules</c> records as loaded is in <c>modules/</c>
/// and hashes to its record. Not checked: whether each module's binary still declares its logged
/// tables (that takes compiling it, which a start does).
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

    /// <summary>Snapshots whose checksums hold but whose content does not fit: a start skips them (newest first).</summary>
    public IReadOnlyList<UnfitSnapshot> UnfitSnapshots { get; }

    /// <summary>The snapshot a start restores from (null: the log's beginning, or the start fails).</summary>
    public SnapshotFile? Snapshot { get; }

    /// <summary>The log records a start replays after <see cref="Snapshot"/>.</summary>
    public long RecordsReplayed { get; }

    /// <summary>Why a start stops (naming the file, offset, transaction or module), or null.</summary>
    public string? Failure { get; }

    /// <summary>Every module a start loads (recorded as loaded in <c>interstice.modules</c>), with its binary.</summary>
    public IReadOnlyList<NeededModule> Modules { get; }

    /// <summary>A start restores the directory as it is: no snapshot skipped for its content, no failure, every binary needed there.</summary>
    public bool IsClean => UnfitSnapshots.Count == 0 && Failure == null && Modules.All(m => m.Problem == null);
}

/// <summary>A module a start loads, and the binary it loads it from.</summary>
/// <param name="Name">The module.</param>
/// <param name="Version">Its version as recorded.</param>
/// <param name="Hash">The SHA-256 recorded for it.</param>
/// <param name="Path">Where its binary must be (<c>modules/&lt;sha-256&gt;.wasm</c>).</param>
/// <param name="Problem">Why a start cannot load it (missing, other bytes, unreadable); null when the binary is sound.</param>
public readonly record struct NeededModule(string Name, string Version, string Hash, string Path, string? Problem);
