using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>Damage anywhere but a torn tail stops recovery with the file, the byte offset and the reason.</summary>
public class CorruptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void WriteLog(string directory, int rows, long segmentSize = 64L << 20) =>
        CommitPathHarness.WritePlayers(CommitPathHarness.DefaultOptions(directory) with { SegmentSize = segmentSize }, rows, payload: 50);

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x01)]
    public void A_damaged_byte_anywhere_in_a_middle_record_is_reported_with_file_offset_and_reason(byte mask)
    {
        string original = _temp.Combine("original");
        WriteLog(original, rows: 3);
        var records = LogFiles.Records(original);
        var middle = records[2];
        string segmentName = Path.GetFileName(middle.Segment);

        for (long position = 0; position < middle.Length; position++)
        {
            string directory = _temp.Combine($"flip-{mask}-{position}");
            LogFiles.CopyDirectory(original, directory);
            string segment = Path.Combine(directory, "log", segmentName);
            LogFiles.FlipByte(segment, middle.Offset + position, mask);

            var error = CommitPathHarness.RecoverExpectingDamage(directory);
            Assert.Equal(segment, error.File);
            Assert.Equal(middle.Offset, error.Offset);
            Assert.Matches("checksum mismatch|invalid record length|runs past the end", error.Reason);
            Assert.Contains($"{segmentName}: corrupt at byte {middle.Offset}", error.Message);

            var report = LogVerifier.Verify(directory, new TestSchema.Handler());
            Assert.Equal((segment, middle.Offset), (report.Corruption!.File, report.Corruption.Offset));
            Assert.Null(report.TornTail);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_damaged_last_record_followed_by_nothing_counts_as_torn_but_one_followed_by_a_valid_record_does_not()
    {
        string directory = _temp.Combine("last");
        WriteLog(directory, rows: 3);
        var records = LogFiles.Records(directory);
        LogFiles.FlipByte(records[^1].Segment, records[^1].Offset + 20);
        var recovered = CommitPathHarness.RecoverOnly(new DurabilityOptions(directory));
        Assert.Equal(records[^1].Offset, recovered.TornTail!.Value.Offset);

        string second = _temp.Combine("second-to-last");
        WriteLog(second, rows: 3);
        records = LogFiles.Records(second);
        LogFiles.FlipByte(records[^2].Segment, records[^2].Offset + 20);
        Assert.Equal(records[^2].Offset, CommitPathHarness.RecoverExpectingDamage(second).Offset);
    }

    [Fact]
    public void A_damaged_header_of_a_sealed_segment_is_reported()
    {
        string directory = _temp.Combine("header");
        WriteLog(directory, rows: 200, segmentSize: 4096);
        var segments = LogFiles.Segments(directory);
        Assert.True(segments.Count >= 3);
        LogFiles.FlipByte(segments[1].Path, 20);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal((segments[1].Path, 0L), (error.File, error.Offset));
        Assert.Contains("segment header checksum mismatch", error.Reason);
    }

    [Fact]
    public void A_missing_segment_breaks_the_chain_and_is_reported()
    {
        string directory = _temp.Combine("missing");
        WriteLog(directory, rows: 200, segmentSize: 4096);
        var segments = LogFiles.Segments(directory);
        File.Delete(segments[1].Path);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(segments[2].Path, error.File);
        Assert.Contains("a segment is missing", error.Reason);
    }

    [Fact]
    public void A_segment_renamed_away_from_its_first_transaction_is_reported()
    {
        string directory = _temp.Combine("renamed");
        WriteLog(directory, rows: 200, segmentSize: 4096);
        var segments = LogFiles.Segments(directory);
        string wrong = Path.Combine(Path.GetDirectoryName(segments[1].Path)!, DataDirectory.SegmentFileName(segments[1].FirstTransactionId + 1));
        File.Move(segments[1].Path, wrong);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(wrong, error.File);
        Assert.Contains("named for transaction", error.Reason);
    }

    [Fact]
    public void Records_whose_ids_do_not_increase_are_reported()
    {
        string directory = _temp.Combine("order");
        WriteSegment(directory, firstId: 5, Frame(new ModuleLoadedRecord(5, 0, "m", new byte[1], TestSchema.Encode("t"))),
            Frame(new ModuleRemovedRecord(5, 0, "m")), Frame(new ModuleLoadedRecord(9, 0, "m", new byte[1], TestSchema.Encode("t"))));

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(LogFormat.SegmentHeaderSize + Frame(new ModuleLoadedRecord(5, 0, "m", new byte[1], TestSchema.Encode("t"))).Length, error.Offset);
        Assert.Contains("transaction id 5 does not follow 5", error.Reason);
    }

    [Fact]
    public void A_record_of_an_unknown_kind_or_with_malformed_contents_is_reported()
    {
        string directory = _temp.Combine("kind");
        var body = new byte[LogFormat.RecordHeaderSize];
        body[0] = 42;
        body[1] = 1;
        WriteSegment(directory, firstId: 1, SealBody(body), Frame(new ModuleRemovedRecord(2, 0, "m")));
        Assert.Contains("unknown record kind 42", CommitPathHarness.RecoverExpectingDamage(directory).Reason);

        string malformed = _temp.Combine("malformed");
        // A transaction record whose payload claims 200 input bytes that are not there.
        var transaction = new byte[LogFormat.RecordHeaderSize + 2];
        transaction[0] = (byte)LogRecordKind.Transaction;
        transaction[1] = 1;
        transaction[LogFormat.RecordHeaderSize] = 200;
        transaction[LogFormat.RecordHeaderSize + 1] = 1;
        WriteSegment(malformed, firstId: 1, SealBody(transaction), Frame(new ModuleRemovedRecord(2, 0, "m")));
        var error = CommitPathHarness.RecoverExpectingDamage(malformed);
        Assert.Equal(LogFormat.SegmentHeaderSize, error.Offset);
        Assert.Contains("inputs of", error.Reason);
        Assert.Contains("runs past the end", error.Reason);
    }

    private static byte[] Frame(NodeEventRecord record)
    {
        var frame = new byte[NodeEventEncoder.Measure(record)];
        NodeEventEncoder.Write(frame, record);
        return frame;
    }

    private static byte[] SealBody(byte[] body)
    {
        var frame = new byte[LogFormat.FrameHeaderSize + body.Length];
        body.CopyTo(frame, LogFormat.FrameHeaderSize);
        RecordFrame.Seal(frame);
        return frame;
    }

    private static void WriteSegment(string directory, ulong firstId, params byte[][] frames)
    {
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        var header = new byte[LogFormat.SegmentHeaderSize];
        new SegmentHeader(firstId, 0).Write(header);
        File.WriteAllBytes(Path.Combine(directory, "log", DataDirectory.SegmentFileName(firstId)), [.. header, .. frames.SelectMany(f => f)]);
    }
}
