using System.Security.Cryptography;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Verification;

/// <summary>
/// Checks a data directory's log and snapshots, and repairs what it can:
/// <list type="bullet">
/// <item>the log: every segment header and the chain between segments, every record's frame,
/// checksum and contents, ids increasing; whether it reaches back to the newest valid snapshot
/// (or to its beginning), and whether it ends before that snapshot (records lost);</item>
/// <item>every snapshot, block by block;</item>
/// <item>every kept module binary against its name (the SHA-256 of its content);</item>
/// <item>what a start would do (<see cref="RestoreCheck"/>): its restore run read-only into a
/// database of its own, which finds snapshots whose content does not fit, logged changes that
/// do not fit the state, and the modules a start restores whose binary is missing or wrong, is
/// not a module, or does not fit its logged tables or the modules restored before it (each
/// binary compiled, none of it run). It costs what a start costs in memory and time, plus the
/// modules' compilation; <see cref="Verify(string, bool, NodeOptions)"/> can leave it out.</item>
/// </list>
/// It reads without a lock, so it may run beside a node: a file the node retires between the
/// listing and the reading is reported (<see cref="VerificationReport.DirectoryChanged"/>,
/// <see cref="RestoreCheck.Interrupted"/>), not thrown.
/// <see cref="Repair"/> truncates the log at its last valid record (moving what it cuts away,
/// and any later segment, into <c>quarantine/</c>) and moves invalid snapshots there too.
/// </summary>
public static class LogVerifier
{
    /// <summary>What a report says when a file listed was gone when it came to be read (<paramref name="gone"/>).</summary>
    internal static string DirectoryChanged(Exception gone) =>
        "the directory changed while verifying (is a node running on it?): " +
        (gone is FileNotFoundException { FileName: { } path } ? $"{path} was gone when it came to be read" : gone.Message.TrimEnd('.'));

    public static VerificationReport Verify(string dataDirectory) => Verify(dataDirectory, rehearseStart: true);

    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="rehearseStart">
    /// False: check the files only (frames, checksums, the chain of segments, snapshots' blocks,
    /// module binaries' hashes), without the start rehearsal (<see cref="VerificationReport.Restore"/>
    /// is then null), which needs the memory and time of a start.
    /// </param>
    /// <param name="node">
    /// The options of the node that starts on the directory, for what its start checks that the
    /// directory does not record: the node's name (<see cref="NodeOptions.NodeName"/>: a module's
    /// dependencies on this node must be restored, those on other nodes are not checked) and the
    /// authorities it grants (<see cref="NodeOptions.GrantableAuthorities"/>), and how deep its
    /// subscription cascades go (<see cref="NodeOptions.MaxSubscriptionDepth"/>: an owed handler
    /// call deeper than that is one the start drops). Its other options are not used, but are
    /// checked as a node checks them. Null: the defaults (a node named <c>local</c> that grants
    /// any authority, cascades 8 deep).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="node"/> holds an option a node refuses (a name that is not a node name...).</exception>
    public static VerificationReport Verify(string dataDirectory, bool rehearseStart, NodeOptions? node = null) =>
        Verify(dataDirectory, rehearseStart ? new RecoveredModules() : null, node);

    /// <summary>
    /// <see cref="Verify(string)"/> whose start rehearsal rebuilds tables with
    /// <paramref name="handler"/> instead of the node's (for the durability layer's own tests,
    /// whose directories log tables in a schema encoding of their own: the modules' loads are
    /// then not checked, only their binaries' hashes); null: no rehearsal. <paramref name="node"/>:
    /// as for <see cref="Verify(string, bool, NodeOptions?)"/>.
    /// </summary>
    internal static VerificationReport Verify(string dataDirectory, IRecoveryHandler? handler, NodeOptions? node = null)
    {
        node ??= new NodeOptions();
        node.Validate();
        var directory = new DataDirectory(dataDirectory);
        if (!System.IO.Directory.Exists(directory.Root))
        {
            directory.ThrowIfNotADirectory(directory.Root);
            throw new DirectoryNotFoundException($"data directory {directory.Root} does not exist");
        }
        return Verify(directory, directory.ListSnapshots(), directory.ListSegments(includeArchive: true), handler, node);
    }

    /// <summary>
    /// Checks the files listed (<paramref name="snapshotFiles"/>, <paramref name="segments"/>);
    /// one that is gone when it comes to be read (a running node's retention deletes or archives
    /// files) is left out and reported (<see cref="VerificationReport.DirectoryChanged"/>).
    /// </summary>
    internal static VerificationReport Verify(DataDirectory directory, IReadOnlyList<SnapshotFile> snapshotFiles, IReadOnlyList<SegmentFile> segments,
        IRecoveryHandler? handler, NodeOptions node)
    {
        string? changed = null;
        void Gone(Exception e) => changed ??= DirectoryChanged(e);

        var snapshots = new List<SnapshotCheck>();
        foreach (var snapshot in snapshotFiles)
        {
            try
            {
                snapshots.Add(CheckSnapshot(snapshot));
            }
            catch (Exception e) when (IsGone(e))
            {
                Gone(e);
            }
        }

        // The log as recovery reads it: from the segment that follows the newest valid snapshot.
        ulong newestValid = 0;
        string? newestValidPath = null;
        foreach (var snapshot in snapshots)
        {
            if (snapshot.Problem != null) continue;
            newestValid = snapshot.File.LastTransactionId;
            newestValidPath = snapshot.File.Path;
        }
        int first = LogRecovery.FirstSegmentAfter(segments, newestValid);
        var checks = new List<SegmentCheck>();
        for (int i = 0; i < first; i++)
        {
            try
            {
                checks.Add(CheckRetiredSegment(segments[i]));
            }
            catch (Exception e) when (IsGone(e))
            {
                Gone(e);
            }
        }

        var live = new List<SegmentFile>();
        for (int i = first; i < segments.Count; i++) live.Add(segments[i]);
        var tallies = new Dictionary<string, SegmentTally>();
        SegmentTally? tally = null;
        CorruptDataException? corruption = null;
        TornTail? torn = null;
        ulong? firstPrevious = null;
        ulong logLast = 0;
        ulong lastBeforeDamage = 0;
        bool liveReadCut = false;
        TailScanResult? damageScan = null;
        using (var cursor = new LogCursor(live)
        {
            SegmentStarted = (file, header) =>
            {
                firstPrevious ??= header.PreviousTransactionId;
                tallies[file.Path] = tally = new SegmentTally();
            },
        })
        {
            try
            {
                while (cursor.MoveNext(out var body))
                {
                    try
                    {
                        cursor.Decode(body);
                    }
                    catch (CorruptDataException e) when (cursor.Header.TransactionId <= newestValid)
                    {
                        // Recovery passes over the records the snapshot holds without decoding them: contents
                        // that do not decode there are reported with the segment, as in a retired one, not repaired.
                        tally!.Problem ??= $"corrupt at byte {e.Offset}: {e.Reason} (a record the newest valid snapshot holds: a start from that snapshot does not read it)";
                    }
                    tally!.Add(cursor.Header.TransactionId);
                }
                torn = cursor.Torn;
                logLast = cursor.LastTransactionId;
            }
            catch (CorruptDataException e)
            {
                corruption = e;
                lastBeforeDamage = cursor.LastTransactionId;
                if (cursor.DamageScan is { } scanned && scanned.Offset == e.Offset) damageScan = scanned.Scan;
            }
            catch (Exception e) when (IsGone(e))
            {
                // The segments not read yet are reported as not verified.
                Gone(e);
                liveReadCut = true;
            }
        }
        RecordsAfterDamage? afterDamage = corruption is { } damage && live.FindIndex(f => f.Path == damage.File) is int damaged and >= 0
            ? CountAfterDamage(damage, lastBeforeDamage, damageScan, live.GetRange(damaged + 1, live.Count - damaged - 1))
            : null;
        foreach (var segment in live)
        {
            var file = new FileInfo(segment.Path);
            long length = file.Exists ? file.Length : 0;
            checks.Add(tallies.TryGetValue(segment.Path, out var t)
                ? new SegmentCheck(segment, t.Records, t.First, t.Last, length, Verified: true, Retired: false, t.Problem)
                : new SegmentCheck(segment, 0, 0, 0, length, Verified: corruption == null && changed == null, Retired: false, Problem: null));
        }

        string? coverage = null;
        if (firstPrevious is { } previous && previous > newestValid)
        {
            coverage = newestValid == 0
                ? $"the log starts after transaction {previous} and no valid snapshot holds what came before"
                : $"the log starts after transaction {previous}, past the newest valid snapshot (transaction {newestValid})";
        }
        // A live segment that vanished mid-read ends the read early: where the log ends is not known then.
        else if (firstPrevious != null && corruption == null && !liveReadCut && logLast < newestValid)
        {
            // A snapshot is published only once the log holding its records is fsynced: a log
            // that ends before it lost records (a log with no segment left is normal).
            coverage = $"the log ends at transaction {logLast} ({live[^1].Path}), before the newest valid snapshot {newestValidPath} (transaction {newestValid}): " +
                $"transactions {logLast + 1} to {newestValid} are missing from the log (recovery starts from the snapshot and the log goes on in a new segment)";
        }
        var binaries = CheckModuleBinaries(directory, out string? modulesProblem);
        // Past damage in the log a start stops where the log check above did: nothing more to learn.
        var restore = corruption == null && handler != null ? RestoreRehearsal.Run(directory, handler, binaries, modulesProblem, node) : null;
        return new VerificationReport(directory, checks, snapshots, torn, corruption, afterDamage, coverage, binaries, modulesProblem, restore)
        {
            StartRehearsed = handler != null,
            DirectoryChanged = changed,
        };
    }

    internal static bool IsGone(Exception e) => e is FileNotFoundException or DirectoryNotFoundException;

    /// <summary>
    /// The valid records a repair of <paramref name="damage"/> takes out of the log with the
    /// damaged bytes: those after it in its segment (from the next valid record, found as recovery
    /// finds it; after a damaged segment header, from the first record on) and in the
    /// <paramref name="later"/> segments, counted until more damage. <paramref name="scanned"/>:
    /// what the log check's scan after the damage found, when it made one (damage in the last segment).
    /// </summary>
    private static RecordsAfterDamage CountAfterDamage(CorruptDataException damage, ulong lastBefore, TailScanResult? scanned, List<SegmentFile> later)
    {
        long count = 0;
        ulong first = 0, last = 0;
        void Add(ulong id)
        {
            if (count++ == 0) first = id;
            last = id;
        }
        try
        {
            using (var reader = FrameFileReader.Open(damage.File, LogFormat.RecordHeaderSize, LogFormat.MaxBodySize, "record"))
            {
                if (damage.Offset < LogFormat.SegmentHeaderSize)
                {
                    reader.MoveTo(LogFormat.SegmentHeaderSize);
                }
                else
                {
                    var scan = scanned ?? TailScan.AfterRecord(reader, damage.Offset, lastBefore);
                    if (scan.Verdict == TailVerdict.Undecided) return new RecordsAfterDamage(count, first, last, Complete: false);
                    reader.MoveTo(scan.Verdict == TailVerdict.ValidRecordFollows ? scan.ValidOffset : reader.FileLength);
                }
                while (reader.Next(out var body, out _) is var result && result != ReadResult.End)
                {
                    if (result == ReadResult.Invalid || !TryReadId(body, out ulong id)) return new RecordsAfterDamage(count, first, last, Complete: false);
                    Add(id);
                }
            }
            using var cursor = new LogCursor(later);
            while (cursor.MoveNext(out _)) Add(cursor.Header.TransactionId);
            return new RecordsAfterDamage(count, first, last, Complete: true);
        }
        catch (Exception e) when (e is CorruptDataException or IOException or UnauthorizedAccessException)
        {
            return new RecordsAfterDamage(count, first, last, Complete: false);
        }
    }

    private static bool TryReadId(ReadOnlySpan<byte> body, out ulong id)
    {
        var fields = new FieldReader(body);
        try
        {
            id = RecordHeader.Read(ref fields).TransactionId;
            return true;
        }
        catch (MalformedDataException)
        {
            id = 0;
            return false;
        }
    }

    /// <summary>
    /// Each kept module binary against its name, the SHA-256 of its content: a start that
    /// restores the module refuses one that differs. (Which binaries a start needs, the modules
    /// table says: <see cref="RestoreRehearsal"/> looks those up in this list.)
    /// </summary>
    private static List<ModuleBinaryCheck> CheckModuleBinaries(DataDirectory directory, out string? listingProblem)
    {
        var checks = new List<ModuleBinaryCheck>();
        listingProblem = null;
        if (!System.IO.Directory.Exists(directory.ModulesDirectory)) return checks;
        string[] paths;
        try
        {
            paths = System.IO.Directory.GetFiles(directory.ModulesDirectory, "*.wasm");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reported with the rest, which stays valid: the log and snapshots were read.
            listingProblem = $"{directory.ModulesDirectory} cannot be listed: {e.Message}";
            return checks;
        }
        Array.Sort(paths, StringComparer.Ordinal);
        foreach (string path in paths) checks.Add(CheckModuleBinary(path));
        return checks;
    }

    /// <summary>The binary at <paramref name="path"/> (<c>modules/&lt;sha-256&gt;.wasm</c>) against its name.</summary>
    internal static ModuleBinaryCheck CheckModuleBinary(string path)
    {
        string named = Path.GetFileNameWithoutExtension(path);
        string? problem;
        try
        {
            using var file = File.OpenRead(path);
            string actual = Convert.ToHexStringLower(SHA256.HashData(file));
            problem = actual == named ? null
                : $"holds other bytes than its name says (their sha-256 is {actual}): a start that restores this module refuses it; put the module's binary back";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read: {e.Message}";
        }
        return new ModuleBinaryCheck(path, new FileInfo(path).Length, problem);
    }

    /// <summary>
    /// What <see cref="Repair"/> would do for <paramref name="report"/>, one action per line
    /// (empty when there is nothing to repair).
    /// </summary>
    public static IReadOnlyList<string> PlanRepair(VerificationReport report)
    {
        var plan = new List<string>();
        foreach (var action in Actions(report)) plan.Add(action.Description);
        return plan;
    }

    /// <summary>
    /// Repairs what <paramref name="report"/> found: truncates the log at its last valid record
    /// and moves what follows (the damaged tail, later segments) and invalid snapshots to
    /// <c>quarantine/</c>. Returns the actions taken. Verify again afterwards.
    /// It neither takes nor checks the data directory's lock: the caller must hold it
    /// (<see cref="DataDirectoryLock.Acquire"/>), as <c>interstice log verify --repair</c> does, so that
    /// no node writes the files it moves.
    /// </summary>
    public static IReadOnlyList<string> Repair(VerificationReport report)
    {
        var done = new List<string>();
        foreach (var action in Actions(report))
        {
            action.Run();
            done.Add(action.Description);
        }
        return done;
    }

    private static IEnumerable<RepairAction> Actions(VerificationReport report)
    {
        var directory = report.Directory;
        string quarantine = directory.QuarantineDirectory;
        (string Path, long Offset)? cut = report.TornTail is { } torn ? (torn.Path, torn.Offset)
            : report.Corruption is { } damage && damage.File.EndsWith(LogFormat.SegmentExtension, StringComparison.Ordinal) ? (damage.File, damage.Offset)
            : null;
        if (cut is { } at)
        {
            long length = new FileInfo(at.Path).Length;
            string lost = report.AfterDamage is { } records ? $" (the valid records after the damage, here and in the segments moved below, leave the log with it: {records})" : "";
            if (at.Offset < LogFormat.SegmentHeaderSize)
            {
                yield return new RepairAction($"move {at.Path} (its header is damaged) to {quarantine}{lost}", () => Quarantine.MoveFile(directory, at.Path));
            }
            else
            {
                yield return new RepairAction($"truncate {at.Path} at byte {at.Offset}, keeping the {length - at.Offset} bytes cut away in {quarantine}{lost}",
                    () => Quarantine.KeepTail(directory, at.Path, at.Offset));
            }
            bool after = false;
            foreach (var segment in report.Segments)
            {
                if (after && !segment.Retired)
                {
                    string path = segment.File.Path;
                    yield return new RepairAction($"move {path} (after the damage) to {quarantine}", () => Quarantine.MoveFile(directory, path));
                }
                if (segment.File.Path == at.Path) after = true;
            }
        }
        foreach (var snapshot in report.Snapshots)
        {
            if (snapshot.Problem == null) continue;
            string path = snapshot.File.Path;
            yield return new RepairAction($"move invalid snapshot {path} to {quarantine}", () => Quarantine.MoveFile(directory, path));
        }
    }

    /// <summary>
    /// A segment that recovery no longer needs (wholly before the newest valid snapshot) is
    /// checked on its own; damage there is reported but not repaired, since the log recovery
    /// reads does not depend on it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The segment is gone (see <see cref="IsGone"/>).</exception>
    private static SegmentCheck CheckRetiredSegment(SegmentFile segment)
    {
        long length = new FileInfo(segment.Path).Length;
        var tally = new SegmentTally();
        try
        {
            using var cursor = new LogCursor([segment]);
            while (cursor.MoveNext(out var body))
            {
                cursor.Decode(body);
                tally.Add(cursor.Header.TransactionId);
            }
            string? problem = cursor.Torn is { } torn ? $"incomplete record at byte {torn.Offset}: {torn.Reason}" : null;
            return new SegmentCheck(segment, tally.Records, tally.First, tally.Last, length, Verified: true, Retired: true, problem);
        }
        catch (CorruptDataException e)
        {
            return new SegmentCheck(segment, tally.Records, tally.First, tally.Last, length, Verified: true, Retired: true, $"corrupt at byte {e.Offset}: {e.Reason}");
        }
    }

    private static SnapshotCheck CheckSnapshot(SnapshotFile snapshot)
    {
        var counter = new CountingSink();
        try
        {
            SnapshotReader.Read(snapshot, counter);
            return new SnapshotCheck(snapshot, counter.Tables, counter.Rows, counter.Modules, null);
        }
        catch (CorruptDataException e)
        {
            return new SnapshotCheck(snapshot, counter.Tables, counter.Rows, counter.Modules, e);
        }
    }

    private sealed record RepairAction(string Description, Action Run);

    private sealed class SegmentTally
    {
        public long Records;
        public ulong First;
        public ulong Last;
        /// <summary>Damage in the contents of a record the newest valid snapshot holds, which recovery does not read.</summary>
        public string? Problem;

        public void Add(ulong transactionId)
        {
            if (Records++ == 0) First = transactionId;
            Last = transactionId;
        }
    }

    private sealed class CountingSink : ISnapshotSink
    {
        public int Tables;
        public long Rows;
        public int Modules;

        public void Catalog(NodeCatalog catalog) => Modules = catalog.Modules.Count();

        public void Table(string module, string name, ulong nextSequence, long rowCount, long offset) => Tables++;

        public void Row(ReadOnlySpan<byte> row, long offset) => Rows++;
    }
}
