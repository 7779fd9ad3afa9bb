using System.Text;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
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
            string quarantined = Path.Combine(directory, "quarantine", $"{segmentName}.from-{last.Offset}");

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
                    Assert.Contains(node.Recovered.Warnings, w => w.Contains(segmentName) && w.Contains("invalid or incomplete record")
                        && w.Contains($"the last {kept} bytes (from byte {last.Offset})") && w.Contains($"kept in {quarantined}"));
                    // The cut bytes are kept, not deleted.
                    Assert.Equal(ReadRange(Path.Combine(original, "log", segmentName), last.Offset, kept), File.ReadAllBytes(quarantined));
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
        string kept = Path.Combine(directory, "quarantine", Path.GetFileName(partial));
        Assert.Contains(node.Recovered.Warnings, w => w.Contains("its 9 bytes are an invalid or incomplete segment header") && w.Contains("segment header needs 40 bytes") && w.Contains($"moved in {kept}"));
        Assert.Equal("INTSLOG\0\x01"u8.ToArray(), File.ReadAllBytes(kept));
        node.Insert(node.Table("game", "players"), new TestRow(9, 9, "nine"));
    }

    [Fact]
    public void An_empty_last_segment_is_described_as_empty_and_moved_to_quarantine()
    {
        string directory = _temp.Combine("empty");
        var dumps = WriteLog(directory, rows: 2);
        string empty = Path.Combine(directory, "log", DataDirectory.SegmentFileName(4));
        File.WriteAllBytes(empty, []);

        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        Assert.Equal(dumps[^1], DatabaseDump.Of(node.Database));
        string warning = Assert.Single(node.Recovered.Warnings);
        Assert.Contains($"{empty}: the segment is empty (0 bytes", warning);
        Assert.DoesNotContain("the last 0 bytes", warning);
        Assert.True(File.Exists(Path.Combine(directory, "quarantine", Path.GetFileName(empty))));
    }

    [Fact]
    public void A_whole_last_record_with_a_bad_checksum_is_cut_as_invalid_not_called_incomplete()
    {
        string directory = _temp.Combine("checksum");
        var dumps = WriteLog(directory, rows: 3);
        var last = LogFiles.Records(directory)[^1];
        LogFiles.FlipByte(last.Segment, last.Offset + last.Length - 1);

        using var node = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory));
        Assert.Equal(dumps[^2], DatabaseDump.Of(node.Database));
        string warning = Assert.Single(node.Recovered.Warnings);
        Assert.Contains($"the last {last.Length} bytes (from byte {last.Offset}) are an invalid or incomplete record at the end of the log (record checksum mismatch", warning);
        Assert.Equal(last.Length, new FileInfo(Path.Combine(directory, "quarantine", $"{Path.GetFileName(last.Segment)}.from-{last.Offset}")).Length);
    }

    /// <summary>
    /// A valid frame as ASCII text (so a client can send it in a row), for a record of kind
    /// Transaction with a transaction id far above any real one: it passes every check but the
    /// position rule.
    /// </summary>
    private static string FrameAsText()
    {
        for (int n = 0; ; n++)
        {
            var frame = new byte[LogFormat.FrameHeaderSize + 32];
            var body = frame.AsSpan(LogFormat.FrameHeaderSize);
            body[0] = (byte)LogRecordKind.Transaction;
            Encoding.ASCII.GetBytes($"AAAAAAAABBBBBBBBpayload-{n:D7}").CopyTo(body[1..]);
            RecordFrame.Seal(frame);
            if (Array.TrueForAll(frame, b => b < 0x80)) return Encoding.ASCII.GetString(frame);
        }
    }

    /// <summary>
    /// A torn last record whose own text holds what reads as a valid later record cannot be told
    /// from a damaged record hiding the next one: the start stops rather than cut (nothing is
    /// cut), and `log verify --repair` decides. Without such text it is a torn tail as usual.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_torn_last_record_whose_own_text_holds_a_valid_later_frame_stops_the_start_instead_of_being_cut(bool frameInText)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine($"text-{frameInText}"));
        List<string> dumps;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            var players = node.Table("game", "players");
            for (ulong i = 1; i <= 3; i++) node.Insert(players, new TestRow(i, 1, "p" + i));
            dumps = [DatabaseDump.Of(node.Database)];
            node.Insert(players, new TestRow(4, 1, (frameInText ? FrameAsText() : new string('y', 40)) + new string('x', 200)));
        }
        var last = LogFiles.Records(options.DataDirectory)[^1];
        LogFiles.Truncate(last.Segment, last.Offset + last.Length - 100); // the crash cut the record short after the text
        long length = new FileInfo(last.Segment).Length;

        if (frameInText)
        {
            var error = Assert.Throws<CorruptDataException>(() => new CommitPathHarness(options));
            Assert.Equal(last.Offset, error.Offset);
            Assert.Equal(length, new FileInfo(last.Segment).Length);
            return;
        }
        using var again = new CommitPathHarness(options);
        Assert.Equal(dumps[0], DatabaseDump.Of(again.Database));
        Assert.Equal(last.Offset, again.Recovered.TornTail!.Value.Offset);
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
        Assert.Contains($"kept in {Path.Combine(directory, "quarantine", $"{Path.GetFileName(last.Segment)}.from-{last.Offset}")}", Assert.Single(warnings));
        Assert.Equal(last.Offset, new FileInfo(last.Segment).Length);
    }

    private static byte[] ReadRange(string path, long offset, long count)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan((int)offset, (int)count).ToArray();
    }
}
