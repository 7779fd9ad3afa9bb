using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>After a snapshot: old snapshots beyond the number kept are deleted, segments wholly before the oldest kept one are deleted or archived.</summary>
public class RetentionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options(string name, SegmentRetention retention, int keep = 2) => CommitPathHarness.DefaultOptions(_temp.Combine(name)) with
    {
        SegmentSize = 4096,
        OldSegments = retention,
        SnapshotsToKeep = keep,
    };

    private static async Task<ulong> InsertThenSnapshot(CommitPathHarness node, int rows)
    {
        var players = node.Table("game", "players");
        for (int i = 0; i < rows; i++)
        {
            ulong id = node.LastId + 1000;
            node.Insert(players, new TestRow(id, i, $"p{id}", new string('x', 60)));
        }
        await node.Store.TakeSnapshot(node.Database);
        return node.LastId;
    }

    [Fact]
    public async Task With_one_snapshot_the_segments_wholly_before_it_are_deleted()
    {
        var options = Options("delete", SegmentRetention.Delete);
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        var players = node.Table("game", "players");
        for (int i = 1; i <= 300; i++) node.Insert(players, new TestRow((ulong)i, i, $"p{i}", new string('x', 60)));
        node.Log.Flush();
        var before = LogFiles.Segments(options.DataDirectory);
        Assert.True(before.Count > 5);
        await node.Store.TakeSnapshot(node.Database);

        // Every segment but the one being appended to is wholly in the snapshot.
        Assert.Equal([before[^1]], LogFiles.Segments(options.DataDirectory));
        Assert.False(Directory.Exists(new DataDirectory(options.DataDirectory).ArchiveDirectory));

        // Only segments wholly in a snapshot go: after one more transaction the last segment stays.
        node.Insert(players, new TestRow(301, 0, "p301"));
        await node.Store.TakeSnapshot(node.Database);
        Assert.Equal(before[^1], LogFiles.Segments(options.DataDirectory)[0]);
    }

    [Fact]
    public async Task Segments_are_retired_only_wholly_before_the_oldest_kept_snapshot()
    {
        var options = Options("oldest", SegmentRetention.Delete, keep: 2);
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        var taken = new List<ulong>();
        for (int i = 0; i < 3; i++) taken.Add(await InsertThenSnapshot(node, 150));

        Assert.Equal(taken[1..], new DataDirectory(options.DataDirectory).ListSnapshots().Select(s => s.LastTransactionId));
        // The log reaches back to the older kept snapshot (so a start can fall back to it), and no further.
        var segments = LogFiles.Segments(options.DataDirectory);
        Assert.True(segments[0].FirstTransactionId <= taken[1] + 1, $"the log starts at {segments[0].FirstTransactionId}, after snapshot {taken[1]}");
        Assert.True(segments[1].FirstTransactionId > taken[1] + 1, $"segment {segments[0].Path} is wholly before snapshot {taken[1]}");
    }

    [Fact]
    public async Task Archived_segments_keep_the_whole_history_readable()
    {
        var options = Options("archive", SegmentRetention.Archive);
        ulong last;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            await InsertThenSnapshot(node, 300);
            await InsertThenSnapshot(node, 100);
            last = node.LastId;
        }
        var directory = new DataDirectory(options.DataDirectory);
        Assert.NotEmpty(Directory.GetFiles(directory.ArchiveDirectory, "*.log"));
        Assert.True(directory.ListSegments()[0].FirstTransactionId > 1);

        var ids = LogReader.Read(options.DataDirectory).Select(e => e.Record.TransactionId).ToList();
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (ulong)i), ids);
        Assert.True(LogReader.Read(options.DataDirectory, includeArchive: false).First().Record.TransactionId > 1);
    }

    [Fact]
    public async Task Only_the_newest_snapshots_are_kept()
    {
        var options = Options("keep", SegmentRetention.Delete, keep: 2);
        var taken = new List<ulong>();
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            for (int i = 0; i < 4; i++) taken.Add(await InsertThenSnapshot(node, 10));
        }
        Assert.Equal(taken[^2..], new DataDirectory(options.DataDirectory).ListSnapshots().Select(s => s.LastTransactionId));
    }

    [Fact]
    public async Task A_temporary_file_left_by_a_crash_during_a_snapshot_is_ignored_and_removed()
    {
        var options = Options("stale", SegmentRetention.Delete);
        var directory = new DataDirectory(options.DataDirectory);
        Directory.CreateDirectory(directory.SnapshotDirectory);
        string stale = directory.SnapshotPath(7) + ".tmp";
        File.WriteAllBytes(stale, new byte[100]);

        using var node = new CommitPathHarness(options);
        Assert.Null(node.Recovered.Snapshot);
        node.LoadModule("game", "players");
        await InsertThenSnapshot(node, 5);
        Assert.False(File.Exists(stale));
    }
}
