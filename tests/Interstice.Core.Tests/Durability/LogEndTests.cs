using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Recovery hands the log's end (<see cref="LogEnd"/>) to the commit log, which appends there
/// without reading the last segment again, and reads it again whenever the segment on disk is
/// no longer exactly as recovery left it.
/// </summary>
public class LogEndTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DurabilityOptions Options(string directory, List<string>? warnings = null) => CommitPathHarness.DefaultOptions(directory) with
    {
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Archive,
        Warning = warnings == null ? null : warnings.Add,
    };

    /// <summary>A module load and <paramref name="rows"/> one-row inserts (ids 2 .. rows + 1), optionally followed by a snapshot of it all.</summary>
    private string WriteLog(string name, int rows, bool snapshot = false)
    {
        string directory = _temp.Combine(name);
        using var node = new CommitPathHarness(Options(directory));
        node.LoadModule("game", "players");
        for (int i = 1; i <= rows; i++) node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"player{i}", "tag"));
        if (snapshot) node.Store.TakeSnapshot(node.Database).Wait();
        return directory;
    }

    private static List<LogEntry> Entries(string directory) => LogReader.Read(directory, includeArchive: false).ToList();

    private static long Length(string path) => new FileInfo(path).Length;

    /// <summary>Recovers the data directory without opening the log, so a test can change the files in between.</summary>
    private static RecoveryResult Recover(DurabilityOptions options) => CommitPathHarness.RecoverOnly(options);

    /// <summary>Appends a module load (a record the harness's restart understands) with id <paramref name="id"/>.</summary>
    private static void AppendModule(DurableStore store, ulong id) =>
        store.Log.AppendEvent(new ModuleLoadedRecord(id, 1_800_000_000_000_000, "extra", new byte[] { 7 }, TestSchema.Encode("things"))).Wait();

    /// <summary>A restart sees <paramref name="id"/> as the last transaction, with its table, and nothing to warn about.</summary>
    private void AssertRestartSees(string directory, ulong id)
    {
        using var again = new CommitPathHarness(Options(directory));
        Assert.Equal(id, again.Recovered.LastTransactionId);
        Assert.True(again.Database.TryGetTable("extra", "things", out _));
        Assert.Empty(again.Recovered.Warnings);
    }

    [Fact]
    public void After_a_torn_tail_the_next_commit_follows_the_last_valid_record_the_warning_comes_once_and_a_restart_sees_it()
    {
        string directory = WriteLog("torn", rows: 5);
        var last = LogFiles.Records(directory)[^1];
        LogFiles.Truncate(last.Segment, last.Offset + 7);
        var warnings = new List<string>();

        string state;
        using (var node = new CommitPathHarness(Options(directory, warnings)))
        {
            Assert.Equal(new LogEnd(last.Segment, last.Offset, HasRecords: true, LastTransactionId: 5), node.Recovered.LogEnd);
            node.Insert(node.Table("game", "players"), new TestRow(5, 5, "player5", "tag"));
            Assert.Equal(6ul, node.LastId);
            state = DatabaseDump.Of(node.Database);
        }
        Assert.Single(warnings);
        Assert.Contains("incomplete record", warnings[0]);

        var entry = Entries(directory)[^1];
        Assert.Equal(6ul, entry.Record.TransactionId);
        Assert.Equal((last.Segment, last.Offset), (entry.Segment, entry.Offset));
        using var again = new CommitPathHarness(Options(directory));
        Assert.Equal(6ul, again.Recovered.LastTransactionId);
        Assert.Equal(state, DatabaseDump.Of(again.Database));
        Assert.Empty(again.Recovered.Warnings);
    }

    [Theory]
    [InlineData("no log")]
    [InlineData("one segment")]
    [InlineData("zero-filled tail")]
    [InlineData("several segments")]
    [InlineData("snapshot covers all")]
    [InlineData("last segment holds only its header")]
    [InlineData("last segment torn within its header")]
    public void Recovery_hands_over_the_end_a_fresh_read_of_the_last_segment_finds(string shape)
    {
        string directory;
        LogEnd? expected;
        switch (shape)
        {
            case "no log":
                directory = _temp.Combine("empty");
                expected = null;
                break;
            case "one segment":
            {
                directory = WriteLog("one", rows: 3);
                string segment = LogFiles.Segments(directory)[^1].Path;
                expected = new LogEnd(segment, Length(segment), true, 4);
                break;
            }
            case "zero-filled tail":
            {
                directory = WriteLog("zeros", rows: 3);
                string segment = LogFiles.Segments(directory)[^1].Path;
                long length = Length(segment);
                LogFiles.Append(segment, new byte[5000]);
                expected = new LogEnd(segment, length, true, 4);
                break;
            }
            case "several segments":
            {
                directory = WriteLog("several", rows: 300);
                Assert.True(LogFiles.Segments(directory).Count > 2);
                string segment = LogFiles.Segments(directory)[^1].Path;
                expected = new LogEnd(segment, Length(segment), true, 301);
                break;
            }
            case "snapshot covers all":
            {
                directory = WriteLog("snapshot", rows: 300, snapshot: true);
                Assert.Contains(new DataDirectory(directory).ListSegments(includeArchive: true), s => s.Archived);
                string segment = LogFiles.Segments(directory)[^1].Path;
                expected = new LogEnd(segment, Length(segment), true, 301);
                break;
            }
            case "last segment holds only its header":
            {
                directory = WriteLog("header-only", rows: 300);
                var entries = Entries(directory);
                string segment = entries[^1].Segment;
                ulong before = entries.Last(e => e.Segment != segment).Record.TransactionId;
                LogFiles.Truncate(segment, LogFormat.SegmentHeaderSize);
                expected = new LogEnd(segment, LogFormat.SegmentHeaderSize, false, before);
                break;
            }
            case "last segment torn within its header":
            {
                directory = WriteLog("torn-header", rows: 3);
                File.WriteAllBytes(Path.Combine(directory, "log", DataDirectory.SegmentFileName(5)), "INTSLOG\0\x01"u8.ToArray());
                // The end is in the segment before, which recovery may not have read: the log reads it.
                expected = null;
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such log shape");
        }

        ulong next;
        using (var node = new CommitPathHarness(Options(directory)))
        {
            Assert.Equal(expected, node.Recovered.LogEnd);
            if (node.LastId == 0) node.LoadModule("game", "players");
            next = node.LastId + 1;
            AppendModule(node.Store, next);
        }
        var entry = Entries(directory)[^1];
        Assert.Equal(next, entry.Record.TransactionId);
        if (expected is { HasRecords: true } end) Assert.Equal((end.SegmentPath, end.Length), (entry.Segment, entry.Offset));
        AssertRestartSees(directory, next);
    }

    [Fact]
    public void A_matching_hand_over_is_used_as_is_the_log_does_not_read_the_segment_again()
    {
        string directory = WriteLog("trusted", rows: 3);
        var options = Options(directory);
        var recovered = Recover(options);
        // Damage the middle of the segment without changing its length: only a read would notice.
        var records = LogFiles.Records(directory);
        LogFiles.FlipByte(records[1].Segment, records[1].Offset + 10);

        Assert.Throws<CorruptDataException>(() => CommitLog.Open(options, recovered.LastTransactionId, recovered.Catalog));
        using var store = DurableStore.Open(options, recovered);
        Assert.Equal(4ul, store.Log.LastTransactionId);
    }

    [Fact]
    public void A_segment_that_grew_a_torn_tail_after_recovery_is_read_again_and_cut()
    {
        string directory = WriteLog("grew-torn", rows: 3);
        string segment = LogFiles.Segments(directory)[^1].Path;
        long length = Length(segment);
        var warnings = new List<string>();
        var options = Options(directory, warnings);
        var recovered = Recover(options);
        Assert.Empty(warnings);
        LogFiles.Append(segment, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        using (var store = DurableStore.Open(options, recovered))
        {
            Assert.Single(warnings);
            Assert.Equal(length, Length(segment));
            AppendModule(store, 5);
        }
        Assert.Equal((segment, length), (Entries(directory)[^1].Segment, Entries(directory)[^1].Offset));
        AssertRestartSees(directory, 5);
    }

    [Fact]
    public void A_segment_that_grew_records_after_recovery_is_read_again_for_its_last_id()
    {
        string directory = WriteLog("grew-records", rows: 3);
        var options = Options(directory);
        var recovered = Recover(options);
        Assert.Equal(4ul, recovered.LastTransactionId);
        using (var other = CommitLog.Open(options, recovered.LastTransactionId, recovered.Catalog))
        {
            other.AppendEvent(new ModuleRemovedRecord(5, 1_750_000_000_000_000, "game")).Wait();
        }

        using (var store = DurableStore.Open(options, recovered))
        {
            Assert.Equal(5ul, store.Log.LastTransactionId);
            Assert.Throws<ArgumentOutOfRangeException>(() => store.Log.AppendEvent(new ModuleRemovedRecord(5, 1_750_000_000_000_001, "game")));
            AppendModule(store, 6);
        }
        AssertRestartSees(directory, 6);
    }

    [Fact]
    public void A_segment_that_shrank_after_recovery_is_read_again_and_the_record_it_lost_stays_a_visible_gap()
    {
        string directory = WriteLog("shrank", rows: 3);
        var options = Options(directory);
        var recovered = Recover(options);
        var last = LogFiles.Records(directory)[^1];
        LogFiles.Truncate(last.Segment, last.Offset);

        // The log now ends at 3 while the node is at 4: record 5 does not go right after 3 in the
        // same segment (a gap nothing would notice) but starts a segment chained to 4.
        using (var store = DurableStore.Open(options, recovered)) AppendModule(store, 5);
        Assert.Equal(last.Offset, Length(last.Segment));
        var segments = LogFiles.Segments(directory);
        Assert.Equal(5ul, segments[^1].FirstTransactionId);

        var error = Assert.Throws<CorruptDataException>(() => Recover(options));
        Assert.Equal(segments[^1].Path, error.File);
        Assert.Contains("the segment follows transaction 4, but the log before it ends at 3", error.Message);
    }

    [Fact]
    public void A_segment_created_after_recovery_is_the_end_the_log_reads()
    {
        string directory = WriteLog("created", rows: 3);
        var options = Options(directory);
        var recovered = Recover(options);
        // A later segment holding only its header, as a writer that crashed right after creating it leaves.
        string created = Path.Combine(directory, "log", DataDirectory.SegmentFileName(5));
        var header = new byte[LogFormat.SegmentHeaderSize];
        new SegmentHeader(FirstTransactionId: 5, PreviousTransactionId: 4).Write(header);
        File.WriteAllBytes(created, header);

        using (var store = DurableStore.Open(options, recovered))
        {
            Assert.False(File.Exists(created));
            AppendModule(store, 5);
        }
        Assert.Equal(created, Entries(directory)[^1].Segment);
        AssertRestartSees(directory, 5);
    }
}
