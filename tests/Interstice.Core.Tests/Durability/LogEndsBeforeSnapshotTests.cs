using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A log that ends before the newest snapshot lost records (a snapshot is published only once
/// the log holding its records is fsynced): recovery warns, the log goes on in a new segment
/// chained to the snapshot, and the verifier reports it. An empty log beside a snapshot is normal.
/// </summary>
public class LogEndsBeforeSnapshotTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 4096,
        OldSegments = SegmentRetention.Delete,
    };

    /// <summary>
    /// Two snapshots and records after them, then the log's tail is lost from a record before the
    /// newest snapshot's transaction on: its segment is cut there (mid-segment, so there is room
    /// for more records in it) and every later segment is deleted.
    /// </summary>
    private static async Task<(ulong LogLast, SnapshotFile Snapshot, string State)> LoseTheLogsTail(DurabilityOptions options)
    {
        string state;
        using (var node = new CommitPathHarness(options))
        {
            var random = new Random(7);
            node.LoadModule("game", "players", "items,autoinc");
            node.RandomTransactions(random, 60);
            await node.Store.TakeSnapshot(node.Database);
            node.RandomTransactions(random, 60);
            await node.Store.TakeSnapshot(node.Database);
            state = DatabaseDump.Of(node.Database);
            node.RandomTransactions(random, 40);
        }
        var snapshot = new DataDirectory(options.DataDirectory).ListSnapshots()[^1];
        var entries = LogReader.Read(options.DataDirectory).ToList();
        int cut = entries.FindLastIndex(e => e.Record.TransactionId <= snapshot.LastTransactionId && e.Offset > LogFormat.SegmentHeaderSize);
        Assert.True(cut > 0, "the log must hold records before the newest snapshot's");
        var at = entries[cut];
        foreach (var segment in LogFiles.Segments(options.DataDirectory))
        {
            if (segment.FirstTransactionId > at.Record.TransactionId) File.Delete(segment.Path);
        }
        LogFiles.Truncate(at.Segment, at.Offset);
        return (entries[cut - 1].Record.TransactionId, snapshot, state);
    }

    /// <summary>Inserts players with ids no earlier run used (a recovered harness does not know the ids taken).</summary>
    private static void AddPlayers(CommitPathHarness node, int count)
    {
        var players = node.Table("game", "players");
        for (int i = 0; i < count; i++) node.Insert(players, new TestRow(100_000 + (ulong)i, i, $"late{i}", "t"));
    }

    private static SegmentHeader ReadHeader(SegmentFile segment)
    {
        byte[] bytes = File.ReadAllBytes(segment.Path);
        Assert.True(SegmentHeader.TryRead(bytes.AsSpan(0, LogFormat.SegmentHeaderSize), out var header, out string reason), reason);
        return header;
    }

    [Fact]
    public async Task Recovery_warns_naming_the_logs_last_id_and_the_snapshot_and_restores_the_snapshot()
    {
        var options = Options("warns");
        var (logLast, snapshot, state) = await LoseTheLogsTail(options);

        var database = new Database();
        var result = LogRecovery.Recover(options, database, new TestSchema.Handler());
        Assert.Equal(state, DatabaseDump.Of(database));
        Assert.Equal(snapshot, result.Snapshot);
        Assert.Equal(snapshot.LastTransactionId, result.LastTransactionId);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains($"the log ends at transaction {logLast} ", warning);
        Assert.Contains($"(transaction {snapshot.LastTransactionId})", warning);
        Assert.Contains(snapshot.Path, warning);
    }

    [Fact]
    public async Task The_log_goes_on_in_a_new_segment_chained_to_the_snapshot_and_later_starts_are_silent()
    {
        var options = Options("goes-on");
        var (logLast, snapshot, _) = await LoseTheLogsTail(options);
        var segmentsBefore = LogFiles.Segments(options.DataDirectory);
        string expected;
        using (var node = new CommitPathHarness(options))
        {
            Assert.Contains(node.Recovered.Warnings, w => w.Contains($"the log ends at transaction {logLast} "));
            AddPlayers(node, 5);
            expected = DatabaseDump.Of(node.Database);
        }

        // The segment that ended the log is untouched; the next record starts a segment chained to the snapshot.
        var segments = LogFiles.Segments(options.DataDirectory);
        Assert.Equal(segmentsBefore[^1].Path, segments[^2].Path);
        Assert.Equal(logLast, LastIdIn(segments[^2]));
        Assert.Equal(snapshot.LastTransactionId + 1, segments[^1].FirstTransactionId);
        Assert.Equal(snapshot.LastTransactionId, ReadHeader(segments[^1]).PreviousTransactionId);

        var database = new Database();
        var result = LogRecovery.Recover(options, database, new TestSchema.Handler());
        Assert.Empty(result.Warnings);
        Assert.Equal(5, result.RecordsReplayed);
        Assert.Equal(expected, DatabaseDump.Of(database));
        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.True(report.IsHealthy, report.CoverageProblem ?? report.Corruption?.Message);
    }

    [Fact]
    public async Task Verify_reports_a_log_that_ends_before_the_newest_snapshot()
    {
        var options = Options("verify");
        var (logLast, snapshot, _) = await LoseTheLogsTail(options);

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.False(report.IsHealthy);
        Assert.Null(report.Corruption);
        Assert.NotNull(report.CoverageProblem);
        Assert.Contains($"the log ends at transaction {logLast} ", report.CoverageProblem);
        Assert.Contains($"{snapshot.Path} (transaction {snapshot.LastTransactionId})", report.CoverageProblem);
    }

    [Fact]
    public async Task An_empty_log_beside_a_snapshot_is_normal()
    {
        var options = Options("empty");
        ulong snapshotAt;
        string state;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            node.RandomTransactions(new Random(9), 60);
            await node.Store.TakeSnapshot(node.Database);
            snapshotAt = node.LastId;
            state = DatabaseDump.Of(node.Database);
        }
        foreach (var segment in LogFiles.Segments(options.DataDirectory)) File.Delete(segment.Path);

        Assert.True(LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler()).IsHealthy);
        string expected;
        using (var node = new CommitPathHarness(options))
        {
            Assert.Empty(node.Recovered.Warnings);
            Assert.Equal(state, DatabaseDump.Of(node.Database));
            AddPlayers(node, 3);
            expected = DatabaseDump.Of(node.Database);
        }
        var segments = LogFiles.Segments(options.DataDirectory);
        Assert.Equal(snapshotAt, ReadHeader(Assert.Single(segments)).PreviousTransactionId);

        var database = new Database();
        var result = LogRecovery.Recover(options, database, new TestSchema.Handler());
        Assert.Empty(result.Warnings);
        Assert.Equal(expected, DatabaseDump.Of(database));
        Assert.True(LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler()).IsHealthy);
    }

    /// <summary>The id of a segment's last record, read on its own.</summary>
    private static ulong LastIdIn(SegmentFile segment)
    {
        using var cursor = new LogCursor([segment]);
        while (cursor.MoveNext(out _)) { }
        return cursor.LastTransactionId;
    }
}
