using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A record of the segment a start reads first, held by the snapshot it restores from, whose
/// frame and checksum hold but whose contents do not decode (a forged record): recovery passes
/// over such records without decoding them, so the start restores from the snapshot. Verify
/// says so: it reports the damage with its segment, as it does in a retired segment, rehearses
/// the start, and plans no repair. (It used to report it as damage a start stops at, skip the
/// rehearsal, and offer to cut the log there, taking the records after the snapshot with it.)
/// </summary>
public class DamageBeforeSnapshotTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Contents_that_do_not_decode_in_a_record_the_snapshot_holds_are_reported_with_the_segment_and_not_repaired()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("data"));
        string expected;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            for (int i = 1; i <= 5; i++) node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"player{i}", "x"));
            await node.Store.TakeSnapshot(node.Database);
            for (int i = 6; i <= 8; i++) node.Insert(node.Table("game", "players"), new TestRow((ulong)i, i, $"player{i}", "x"));
            expected = DatabaseDump.Of(node.Database);
        }
        string segment = LogFiles.Segments(options.DataDirectory).Single().Path;
        var file = FramedFile.Read(segment);
        // Transaction 3 (an insert the snapshot holds) cut short after its inputs: its frame is sealed again.
        file.Bodies[2] = file.Bodies[2][..20];
        file.Write(segment);
        long offset = file.OffsetOf(2);

        using (var restarted = new CommitPathHarness(options))
        {
            Assert.NotNull(restarted.Recovered.Snapshot);
            Assert.Equal(expected, DatabaseDump.Of(restarted.Database));
        }
        var report = LogVerifier.Verify(options.DataDirectory, new TestSchema.Handler());
        Assert.Null(report.Corruption);
        Assert.StartsWith($"corrupt at byte {offset}: ", Assert.Single(report.Segments).Problem);
        Assert.Equal(new DataDirectory(options.DataDirectory).ListSnapshots().Single(), report.Restore?.Snapshot);
        Assert.Null(report.Restore?.Failure);
        Assert.False(report.IsHealthy);
        Assert.Empty(LogVerifier.PlanRepair(report));
    }
}
