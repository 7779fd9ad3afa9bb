using System.Buffers.Binary;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Telling a torn tail from damage in the middle: what counts as a valid record after invalid
/// bytes, and that the scan for one stays bounded whatever the bytes are.
/// </summary>
public class TailScanTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A log of a module load and <paramref name="rows"/> inserts, in one segment.</summary>
    private string WriteLog(string name, int rows)
    {
        string directory = _temp.Combine(name);
        CommitPathHarness.WritePlayers(CommitPathHarness.DefaultOptions(directory), rows, payload: 30);
        return directory;
    }

    private static TailScanResult ScanAfter(string segment, long offset, ulong lastTransactionId, int maxPending = TailScan.MaxPending, int maxCandidates = TailScan.MaxCandidates)
    {
        using var reader = FrameFileReader.Open(segment, LogFormat.RecordHeaderSize, LogFormat.MaxBodySize, "record");
        return TailScan.AfterRecord(reader, offset, lastTransactionId, maxPending, maxCandidates);
    }

    [Fact]
    public void A_repeated_pattern_after_the_last_record_is_a_torn_tail_without_a_single_candidate()
    {
        string directory = WriteLog("pattern", rows: 3);
        var segment = LogFiles.Segments(directory)[^1].Path;
        long end = new FileInfo(segment).Length;
        var pattern = new byte[2 << 20];
        for (int i = 0; i < pattern.Length; i += 4) pattern[i + 2] = 0x10; // 00 00 10 00 ...
        LogFiles.Append(segment, pattern);

        var scan = ScanAfter(segment, end, lastTransactionId: 4);
        Assert.Equal(TailVerdict.Torn, scan.Verdict);
        Assert.Equal(0, scan.Candidates);
        Assert.Equal(end, LogVerifier.Verify(directory, new TestSchema.Handler()).TornTail!.Value.Offset);
    }

    [Fact]
    public void A_last_segment_longer_than_2_GiB_is_scanned_past_its_2_GiB_offsets()
    {
        string directory = WriteLog("sparse", rows: 2);
        var records = LogFiles.Records(directory);
        var segment = records[^1].Segment;
        var bytes = File.ReadAllBytes(segment);
        long end = bytes.Length;
        // Zeros past 2 GiB (a sparse file), then a valid record of a later transaction: only a scan
        // that reaches offsets past 2^31 finds it.
        var later = bytes.AsSpan((int)records[^1].Offset, (int)records[^1].Length).ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(later.AsSpan(LogFormat.FrameHeaderSize + 1), 9);
        RecordFrame.Seal(later);
        long laterOffset = end + (2L << 30) + 4096;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.Position = laterOffset;
            file.Write(later);
        }

        var scan = ScanAfter(segment, end, lastTransactionId: 3);
        Assert.Equal((TailVerdict.ValidRecordFollows, laterOffset), (scan.Verdict, scan.ValidOffset));
    }

    [Fact]
    public void A_copy_of_an_earlier_record_after_the_end_is_no_later_record_so_the_tail_is_torn()
    {
        string directory = WriteLog("copy", rows: 3);
        var records = LogFiles.Records(directory);
        var segment = records[^1].Segment;
        var bytes = File.ReadAllBytes(segment);
        long end = bytes.Length;
        var second = records[1];
        LogFiles.Append(segment, [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]); // garbage, then a valid frame of transaction 2
        LogFiles.Append(segment, bytes.AsSpan((int)second.Offset, (int)second.Length).ToArray());

        var recovered = CommitPathHarness.RecoverOnly(new DurabilityOptions(directory));
        Assert.Equal(end, recovered.TornTail!.Value.Offset);
        Assert.Equal(4ul, recovered.LastTransactionId);
    }

    [Fact]
    public void Damage_in_a_record_is_reported_with_where_the_next_valid_record_is()
    {
        string directory = WriteLog("middle", rows: 3);
        var records = LogFiles.Records(directory);
        var damaged = records[2];
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + 3, 0x7F); // the length's high byte: far past the maximum

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(damaged.Offset, error.Offset);
        Assert.Contains($"invalid record length", error.Reason);
        Assert.Contains($"a valid record follows at byte {records[3].Offset}", error.Reason);
    }

    [Theory]
    [InlineData(0, 0x01)] // length one more or one less: the declared end is just past the next record's start
    [InlineData(2, 0x01)] // 64 KiB more: the declared end is past the end of the file
    public void A_damaged_length_that_hides_the_next_record_is_still_damage(int lengthByte, byte mask)
    {
        string directory = WriteLog($"length-{lengthByte}", rows: 3);
        var records = LogFiles.Records(directory);
        var damaged = records[2];
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + lengthByte, mask);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(damaged.Offset, error.Offset);
        Assert.Contains($"a valid record follows at byte {records[3].Offset}", error.Reason);
    }

    [Theory]
    [InlineData(2, 0x01)] // 64 KiB more, past the end of the file
    [InlineData(1, 0x01)] // 256 more: the declared body still ends inside the file
    public void A_damaged_length_and_body_in_the_middle_of_the_log_is_damage_not_a_torn_tail(int lengthByte, byte mask)
    {
        string directory = WriteLog($"length-and-body-{lengthByte}", rows: 6);
        var records = LogFiles.Records(directory);
        var damaged = records[2];
        long segmentLength = new FileInfo(damaged.Segment).Length;
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + lengthByte, mask);
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + LogFormat.FrameHeaderSize + 12, 0x40);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal(damaged.Offset, error.Offset);
        Assert.Contains($"a valid record follows at byte {records[3].Offset}", error.Reason);
        Assert.Equal(segmentLength, new FileInfo(damaged.Segment).Length);
    }

    [Fact]
    public void Random_bytes_after_the_last_record_are_a_torn_tail_however_long()
    {
        string directory = WriteLog("random", rows: 2);
        var segment = LogFiles.Segments(directory)[^1].Path;
        long end = new FileInfo(segment).Length;
        var random = new byte[64 << 20];
        new Random(7).NextBytes(random);
        BinaryPrimitives.WriteUInt32LittleEndian(random, uint.MaxValue); // an invalid length first: the scan starts at the next byte
        LogFiles.Append(segment, random);

        var scan = ScanAfter(segment, end, lastTransactionId: 3);
        Assert.Equal(TailVerdict.Torn, scan.Verdict);
        Assert.True(scan.Candidates > 1000, $"{scan.Candidates} candidates"); // each one checked without reading its body again
    }

    [Fact]
    public void Bytes_where_every_position_looks_like_a_record_make_the_scan_undecided_once_its_queue_is_full()
    {
        string directory = WriteLog("crafted", rows: 1);
        var segment = LogFiles.Segments(directory)[^1].Path;
        long end = new FileInfo(segment).Length;
        // Every position reads as length 0x01010101 (16 MiB), kind 1, id 0x0101010101010101.
        var crafted = new byte[20 << 20];
        crafted.AsSpan().Fill(0x01);
        BinaryPrimitives.WriteUInt32LittleEndian(crafted, uint.MaxValue);
        LogFiles.Append(segment, crafted);

        var scan = ScanAfter(segment, end, lastTransactionId: 2, maxPending: 1000);
        Assert.Equal(TailVerdict.Undecided, scan.Verdict);
        Assert.Equal(1000, scan.Candidates);
        var corruption = LogVerifier.Verify(directory, new TestSchema.Handler()).Corruption;
        Assert.Equal(end, corruption!.Offset);
        Assert.Contains("look like record frames at so many positions", corruption.Reason);
    }

    [Fact]
    public void A_valid_record_after_a_long_run_of_candidates_is_found()
    {
        string directory = WriteLog("found", rows: 3);
        var records = LogFiles.Records(directory);
        var segment = records[^1].Segment;
        var bytes = File.ReadAllBytes(segment);
        long end = bytes.Length;
        var last = bytes.AsSpan((int)records[^1].Offset, (int)records[^1].Length).ToArray();
        // Damage (an invalid length), candidates that fail their checksum, then a valid record of a later transaction.
        var noise = new byte[1 << 20];
        new Random(11).NextBytes(noise);
        BinaryPrimitives.WriteUInt32LittleEndian(noise, uint.MaxValue);
        LogFiles.Append(segment, noise);
        var later = last.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(later.AsSpan(LogFormat.FrameHeaderSize + 1), 9);
        RecordFrame.Seal(later);
        LogFiles.Append(segment, later);
        LogFiles.Append(segment, new byte[100]);

        var scan = ScanAfter(segment, end, lastTransactionId: 4);
        Assert.Equal((TailVerdict.ValidRecordFollows, end + noise.Length), (scan.Verdict, scan.ValidOffset));
    }

    [Fact]
    public void Record_like_bytes_inside_a_torn_record_make_the_scan_undecided_once_it_checked_its_most_candidates()
    {
        string directory = WriteLog("inside", rows: 1);
        var segment = LogFiles.Segments(directory)[^1].Path;
        long end = new FileInfo(segment).Length;
        // A frame that declares a body running 1 MiB past the end of the file, inside which every
        // other position reads as a record: 01 00 01 00 ... is length 65537, kind 1, id 0x0100010001000100.
        var torn = new byte[4 << 20];
        for (int i = 0; i < torn.Length; i += 2) torn[i] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(torn, (uint)torn.Length + (1u << 20)); // within bounds, past the end
        LogFiles.Append(segment, torn);

        var scan = ScanAfter(segment, end, lastTransactionId: 2, maxCandidates: 5000);
        Assert.Equal((TailVerdict.Undecided, 5000L), (scan.Verdict, scan.Candidates));
        Assert.Equal(TailVerdict.Torn, ScanAfter(segment, end, lastTransactionId: 2).Verdict);
    }
}
