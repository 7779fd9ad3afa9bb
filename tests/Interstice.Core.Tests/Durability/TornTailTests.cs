using Interstice.Core.Durability;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>A crash in the middle of a write leaves a partial last record: recovery cuts it off, warns, and the log goes on.</summary>
public class TornTailTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A log of a module load and <paramref name="rows"/> one-row inserts; returns the state dump after each.</summary>
    private List<string> WriteLog(string directory, int rows)
    {
        var dumps = new List<string>();
        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        node.LoadModule("game", "players", "sessions,ephemeral");
        dumps.Add(DatabaseDump.Of(node.Database));
        for (int i = 1; i <= rows; i++)
        {
            node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i * 10, $"player{i}", "tag"));
            dumps.Add(DatabaseDump.Of(node.Database));
        }
        return dumps;
    }

    [Fact]
    public void A_last_record_cut_at_every_length_is_truncated_with_a_warning_and_the_log_continues()
    {
        string original = _temp.Combine("original");
        var dumps = WriteLog(original, rows: 4);
        var last = LogFiles.Records(original)[^1];
        string segmentName = Path.GetFileName(last.Segment);

        for (long kept = 0; kept < last.Length; kept++)
        {
            string directory = _temp.Combine($"cut-{kept}");
            LogFiles.CopyDirectory(original, directory);
            string segment = Path.Combine(directory, "log", segmentName);
            LogFiles.Truncate(segment, last.Offset + kept);

            using (var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory)))
            {
                Assert.Equal(dumps[^2], DatabaseDump.Of(node.Database));
                Assert.Equal(4ul, node.Recovered.LastTransactionId);
                if (kept == 0)
                {
                    Assert.Null(node.Recovered.TornTail);
                    Assert.Empty(node.Recovered.Warnings);
                }
                else
                {
                    Assert.Equal(last.Offset, node.Recovered.TornTail!.Value.Offset);
                    Assert.Contains(node.Recovered.Warnings, w => w.Contains(segmentName) && w.Contains("incomplete record") && w.Contains($"from byte {last.Offset}"));
                }
                Assert.Equal(last.Offset, new FileInfo(segment).Length);

                // The node goes on: the lost transaction is committed again and survives.
                node.Insert(node.Table("game", "players"), new TestRow(4, 40, "player4", "tag"));
            }
            using (var again = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory)))
            {
                Assert.Equal(dumps[^1], DatabaseDump.Of(again.Database));
                Assert.Empty(again.Recovered.Warnings);
            }
        }
    }

    [Fact]
    public void A_zero_filled_tail_is_cut_off()
    {
        string directory = _temp.Combine("zeros");
        var dumps = WriteLog(directory, rows: 3);
        string segment = LogFiles.Segments(directory)[^1].Path;
        long length = new FileInfo(segment).Length;
        LogFiles.Append(segment, new byte[8192]);

        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        Assert.Equal(dumps[^1], DatabaseDump.Of(node.Database));
        Assert.Equal(length, new FileInfo(segment).Length);
        Assert.Single(node.Recovered.Warnings);
    }

    [Fact]
    public void Garbage_after_the_last_record_is_cut_off()
    {
        string directory = _temp.Combine("garbage");
        var dumps = WriteLog(directory, rows: 3);
        string segment = LogFiles.Segments(directory)[^1].Path;
        var garbage = new byte[300];
        new Random(3).NextBytes(garbage);
        LogFiles.Append(segment, garbage);

        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        Assert.Equal(dumps[^1], DatabaseDump.Of(node.Database));
        Assert.NotNull(node.Recovered.TornTail);
    }

    [Fact]
    public void A_new_segment_whose_header_was_cut_short_is_removed()
    {
        string directory = _temp.Combine("header");
        var dumps = WriteLog(directory, rows: 2);
        string partial = Path.Combine(directory, "log", DataDirectory.SegmentFileName(4));
        File.WriteAllBytes(partial, "INTSLOG\0\x01"u8.ToArray());

        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        Assert.Equal(dumps[^1], DatabaseDump.Of(node.Database));
        Assert.False(File.Exists(partial));
        Assert.Contains(node.Recovered.Warnings, w => w.Contains("segment header needs 40 bytes"));
        node.Insert(node.Table("game", "players"), new TestRow(9, 9, "nine"));
    }

    [Fact]
    public void Opening_the_log_without_recovery_also_cuts_a_torn_tail()
    {
        string directory = _temp.Combine("open");
        WriteLog(directory, rows: 2);
        var last = LogFiles.Records(directory)[^1];
        LogFiles.Truncate(last.Segment, last.Offset + 5);
        var warnings = new List<string>();

        using (var log = Interstice.Core.Durability.Log.CommitLog.Open(new DurabilityOptions(directory) { Warning = warnings.Add }))
        {
            Assert.Equal(2ul, log.LastTransactionId);
        }
        Assert.Single(warnings);
        Assert.Equal(last.Offset, new FileInfo(last.Segment).Length);
    }
}
