using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Damage in the last segment is told from a torn tail by a scan after it; the cursor keeps that
/// scan, and the verifier's count of the valid records after the damage starts where it found one.
/// </summary>
public class DamageScanTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_scan_after_damage_in_the_last_segment_is_kept_and_the_count_after_it_starts_at_the_valid_record_it_found()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("damage"));
        CommitPathHarness.WritePlayers(options, rows: 20, payload: 40);
        var records = LogFiles.Records(options.DataDirectory);
        var damaged = records[10];
        var next = records[11];
        Assert.Equal(damaged.Segment, records[^1].Segment);
        LogFiles.FlipByte(damaged.Segment, damaged.Offset + 30);

        using (var cursor = new LogCursor(LogFiles.Segments(options.DataDirectory)))
        {
            var error = Assert.Throws<CorruptDataException>(() =>
            {
                while (cursor.MoveNext(out _)) { }
            });
            Assert.Equal(damaged.Offset, error.Offset);
            var (offset, scan) = Assert.NotNull(cursor.DamageScan);
            Assert.Equal(damaged.Offset, offset);
            Assert.Equal(TailVerdict.ValidRecordFollows, scan.Verdict);
            Assert.Equal(next.Offset, scan.ValidOffset);
        }

        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Equal(damaged.Offset, report.Corruption!.Offset);
        // Records 0..20: the module load, then 20 inserts; the damaged one is transaction 11.
        Assert.Equal(new RecordsAfterDamage(records.Count - 11, 12, (ulong)records.Count, Complete: true), report.AfterDamage);
    }
}
