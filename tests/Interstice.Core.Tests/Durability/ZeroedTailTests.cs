using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// When commits are synced, the last segment keeps zeros ahead of its records, so that the sync
/// after a commit does not also grow the file: the log ends, cleanly, where the zeros begin; a
/// segment the log moves on from, or closes, has them cut off.
/// </summary>
public class ZeroedTailTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Commits one-row inserts and waits until the log has written and synced them.</summary>
    private static void InsertRows(CommitPathHarness node, int from, int to)
    {
        for (int i = from; i <= to; i++) node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"player{i}", "tag"));
        node.Log.Flush();
    }

    private static bool EndsInZeros(string path, long from)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.Length > from && bytes.AsSpan((int)from).IndexOfAnyExcept((byte)0) < 0;
    }

    [Fact]
    public void While_synced_commits_go_on_the_last_segment_ends_in_zeros_and_a_closed_log_ends_with_its_last_record()
    {
        string directory = _temp.Combine("open");
        using (var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)))
        {
            node.LoadModule("game", "players");
            InsertRows(node, 1, 5);
            var last = LogFiles.Records(directory)[^1];
            Assert.True(new FileInfo(last.Segment).Length >= last.Offset + last.Length + SegmentAppender.ZeroedAhead / 2);
            Assert.True(EndsInZeros(last.Segment, last.Offset + last.Length));
        }
        var closed = LogFiles.Records(directory)[^1];
        Assert.Equal(closed.Offset + closed.Length, new FileInfo(closed.Segment).Length);
    }

    [Fact]
    public void Without_syncs_there_are_no_zeros()
    {
        string directory = _temp.Combine("none");
        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.None));
        node.LoadModule("game", "players");
        InsertRows(node, 1, 5);
        var last = LogFiles.Records(directory)[^1];
        Assert.Equal(last.Offset + last.Length, new FileInfo(last.Segment).Length);
    }

    [Fact]
    public void A_log_left_with_zeros_after_its_last_record_recovers_without_a_warning_and_appends_over_them()
    {
        string directory = _temp.Combine("crashed");
        string expected;
        using (var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)))
        {
            node.LoadModule("game", "players");
            InsertRows(node, 1, 3);
            expected = DatabaseDump.Of(node.Database);
        }
        // What a crash leaves: the records, then the zeros written ahead of them.
        var last = LogFiles.Records(directory)[^1];
        long end = last.Offset + last.Length;
        LogFiles.Append(last.Segment, new byte[SegmentAppender.ZeroedAhead]);

        using (var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)))
        {
            Assert.Equal(expected, DatabaseDump.Of(node.Database));
            Assert.Null(node.Recovered.TornTail);
            Assert.Empty(node.Recovered.Warnings);
            InsertRows(node, 4, 4);
            Assert.Equal(end, LogFiles.Records(directory)[^1].Offset);
            expected = DatabaseDump.Of(node.Database);
        }
        using (var again = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)))
        {
            Assert.Equal(expected, DatabaseDump.Of(again.Database));
            Assert.Empty(again.Recovered.Warnings);
            Assert.Equal(5ul, again.Recovered.LastTransactionId);
        }
    }

    [Fact]
    public void Zeros_with_a_valid_record_after_them_are_damage_not_the_end()
    {
        string directory = _temp.Combine("hole");
        using (var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)))
        {
            node.LoadModule("game", "players");
            InsertRows(node, 1, 4);
        }
        var records = LogFiles.Records(directory);
        var hole = records[^2];
        using (var file = new FileStream(hole.Segment, FileMode.Open, FileAccess.Write))
        {
            file.Position = hole.Offset;
            file.Write(new byte[hole.Length]);
        }

        var e = Assert.Throws<CorruptDataException>(() => new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync)));
        Assert.Equal(hole.Segment, e.File);
        Assert.Equal(hole.Offset, e.Offset);
    }

    [Fact]
    public void A_segment_the_log_moves_on_from_ends_with_its_last_record()
    {
        string directory = _temp.Combine("segments");
        var options = CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync) with { SegmentSize = 4096 };
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        InsertRows(node, 1, 200);
        var segments = LogFiles.Segments(directory);
        Assert.True(segments.Count >= 3);
        var records = LogFiles.Records(directory);
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            var lastInSegment = records.Last(r => r.Segment == segment.Path);
            Assert.Equal(lastInSegment.Offset + lastInSegment.Length, new FileInfo(segment.Path).Length);
        }
    }
}
