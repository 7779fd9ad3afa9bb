using Interstice.Core.Durability;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Format version 1 writes a file header's flags and reserved field as 0. A header with either
/// set, its checksum made to hold (a later format, or a forged file), is one this build cannot
/// read right: it is refused as a header of another version is, naming the file.
/// </summary>
public class HeaderFieldTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(12, "segment header flags 0x00000001 are not known to this build (format version 1 has none)")]
    [InlineData(32, "segment header's reserved field is 0x00000001, not 0")]
    public void A_sealed_segment_whose_header_sets_an_unknown_field_is_damage(int field, string reason)
    {
        string directory = _temp.Combine($"segment-{field}");
        CommitPathHarness.WritePlayers(CommitPathHarness.DefaultOptions(directory) with { SegmentSize = 4096 }, 200, payload: 50);
        var segments = LogFiles.Segments(directory);
        Assert.True(segments.Count >= 3);
        SetHeaderField(segments[1].Path, field);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal((segments[1].Path, 0L), (error.File, error.Offset));
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData(12, "snapshot header flags 0x00000001 are not known to this build (format version 1 has none)")]
    [InlineData(32, "snapshot header's reserved field is 0x00000001, not 0")]
    public void A_snapshot_whose_header_sets_an_unknown_field_is_invalid_and_skipped(int field, string reason)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine($"snapshot-{field}"), DurabilityPolicy.Sync);
        using (var node = new TestNode(o => o with { Durability = options }, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
            node.Node.TakeSnapshot();
        }
        var snapshot = new DataDirectory(options.DataDirectory).ListSnapshots().Single();
        SetHeaderField(snapshot.Path, field);

        var check = Assert.Single(LogVerifier.Verify(options.DataDirectory, rehearseStart: false).Snapshots);
        Assert.Equal(reason, check.Problem?.Reason);
    }

    /// <summary>Sets the header's u32 at <paramref name="offset"/> to 1, its checksum made to hold.</summary>
    private static void SetHeaderField(string path, int offset)
    {
        var file = FramedFile.Read(path);
        file.Header[offset] = 1;
        file.Write(path);
    }
}
