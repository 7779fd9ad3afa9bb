using Interstice.Core.Durability.Log;

namespace Interstice.Core.Durability.Verification;

/// <summary>What <see cref="LogVerifier.Verify(string)"/> found in a data directory.</summary>
public sealed class VerificationReport
{
    internal VerificationReport(DataDirectory directory, IReadOnlyList<SegmentCheck> segments, IReadOnlyList<SnapshotCheck> snapshots,
        TornTail? tornTail, CorruptDataException? corruption, RecordsAfterDamage? afterDamage, string? coverageProblem, IReadOnlyList<ModuleBinaryCheck> moduleBinaries,
        string? modulesProblem, RestoreCheck? restore)
    {
        Restore = restore;
        ModulesProblem = modulesProblem;
        AfterDamage = afterDamage;
        ModuleBinaries = moduleBinaries;
        Directory = directory;
        Segments = segments;
        Snapshots = snapshots;
        TornTail = tornTail;
        Corruption = corruption;
        CoverageProblem = coverageProblem;
    }

    public DataDirectory Directory { get; }

    /// <summary>Every segment, archive included, in log order.</summary>
    public IReadOnlyList<SegmentCheck> Segments { get; }

    /// <summary>Every snapshot, oldest first.</summary>
    public IReadOnlyList<SnapshotCheck> Snapshots { get; }

    /// <summary>The incomplete record at the end of the log, if any (recovery truncates it by itself).</summary>
    public TornTail? TornTail { get; }

    /// <summary>The first damage found in the log, if any (the log was not read past it).</summary>
    public CorruptDataException? Corruption { get; }

    /// <summary>
    /// With <see cref="Corruption"/>: the valid records after the damage (in its segment, from the
    /// next valid record on, and in the later segments), which a repair takes out of the log with
    /// the damaged bytes.
    /// </summary>
    public RecordsAfterDamage? AfterDamage { get; }

    /// <summary>Why the log does not cover the newest valid snapshot, if it does not: it starts after it (or, with none, after the beginning), or it ends before it.</summary>
    public string? CoverageProblem { get; }

    /// <summary>Every module binary kept in the data directory, by file name.</summary>
    public IReadOnlyList<ModuleBinaryCheck> ModuleBinaries { get; }

    /// <summary>Why <c>modules/</c> could not be listed (its binaries then go unchecked), if it could not.</summary>
    public string? ModulesProblem { get; }

    /// <summary>What a start would do with the directory; null when damage in the log (<see cref="Corruption"/>) stops it first, or when the start was not rehearsed (<see cref="StartRehearsed"/>).</summary>
    public RestoreCheck? Restore { get; }

    /// <summary>Whether the start was rehearsed (<see cref="Restore"/>) or only the files checked.</summary>
    public bool StartRehearsed { get; internal init; }

    /// <summary>
    /// A file listed was gone when it came to be read (a node running on the directory retires
    /// files as it goes): it is left out of the report, and when it is a log segment, the live segments after it are not verified (nor is where the log ends). Null when nothing changed.
    /// </summary>
    public string? DirectoryChanged { get; internal init; }

    /// <summary>
    /// Nothing wrong: no torn tail, no damage, every snapshot, retired segment and module binary
    /// valid, the log complete, nothing changed while it was read, and (when rehearsed) a start
    /// would restore it as it is (<see cref="RestoreCheck.IsClean"/>).
    /// </summary>
    public bool IsHealthy => TornTail == null && Corruption == null && CoverageProblem == null && DirectoryChanged == null
        && Snapshots.All(s => s.Problem == null) && Segments.All(s => s.Problem == null) && ModuleBinaries.All(m => m.Problem == null) && ModulesProblem == null
        && (!StartRehearsed || Restore is { IsClean: true });

    public long Records => Segments.Sum(s => s.Records);
}

/// <summary>One segment as verified.</summary>
/// <param name="File">The segment.</param>
/// <param name="Records">Valid records read from it.</param>
/// <param name="FirstTransactionId">Its first record's id (0 when it has none).</param>
/// <param name="LastTransactionId">Its last valid record's id (0 when it has none).</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Verified">False for segments after the damage, which were not read.</param>
/// <param name="Retired">True for a segment wholly before the newest valid snapshot: recovery does not read it.</param>
/// <param name="Problem">What is wrong with a retired segment, or with the contents of a record of a live one that the newest
/// valid snapshot holds, which recovery passes over without decoding (damage in the log recovery reads is <see cref="VerificationReport.Corruption"/>).</param>
public readonly record struct SegmentCheck(SegmentFile File, long Records, ulong FirstTransactionId, ulong LastTransactionId, long Length,
    bool Verified, bool Retired, string? Problem);

/// <summary>One snapshot as verified: its contents' size, or what is wrong with it.</summary>
public readonly record struct SnapshotCheck(SnapshotFile File, int Tables, long Rows, int Modules, CorruptDataException? Problem);

/// <summary>One module binary as verified: its content hashes to its name, or what is wrong with it.</summary>
/// <param name="Path">The file (<c>modules/&lt;sha-256&gt;.wasm</c>).</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Problem">What is wrong (other bytes than its name says, or unreadable); null when it is sound.</param>
public readonly record struct ModuleBinaryCheck(string Path, long Length, string? Problem);

/// <summary>The valid records found after damage in the log (see <see cref="VerificationReport.AfterDamage"/>).</summary>
/// <param name="Count">How many.</param>
/// <param name="FirstTransactionId">The first one's transaction id (0 when there is none).</param>
/// <param name="LastTransactionId">The last one's transaction id (0 when there is none).</param>
/// <param name="Complete">False when more damage stopped the count (there may be more).</param>
public readonly record struct RecordsAfterDamage(long Count, ulong FirstTransactionId, ulong LastTransactionId, bool Complete)
{
    public override string ToString() =>
        Count == 0 ? (Complete ? "no valid record" : "no valid record that could be read before more damage")
        : $"{(Complete ? "" : "at least ")}{Count} valid record{(Count == 1 ? "" : "s")} (transactions {FirstTransactionId}..{LastTransactionId}{(Complete ? "" : ", until more damage")})";
}
