using System.Buffers.Binary;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A node numbers its transactions with a signed 64-bit counter: a log whose last record claims
/// an id of 2^63 - 1 or more (a forged id, its checksum made to hold) leaves it no id to go on
/// with. The start refuses it, naming the segment and offset, and changes nothing; verify's
/// rehearsal says the start fails. (Such a start used to succeed and fault on the first call, or
/// to write ids past 2^63 that the next start misread.)
/// </summary>
public class TransactionIdLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(9223372036854775807UL)]
    [InlineData(1UL << 63)]
    [InlineData(ulong.MaxValue)]
    public void A_last_transaction_id_a_node_cannot_go_on_from_stops_the_start(ulong id)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine($"id-{id}"), DurabilityPolicy.Sync);
        using (var node = new TestNode(o => o with { Durability = options }, "hello"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        }
        string segment = LogFiles.Segments(options.DataDirectory).Single().Path;
        var file = FramedFile.Read(segment);
        BinaryPrimitives.WriteUInt64LittleEndian(file.Bodies[^1].AsSpan(1), id);
        file.Write(segment);
        long offset = file.OffsetOf(file.Bodies.Count - 1);
        var before = LogFiles.Hashes(options.DataDirectory);

        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal((segment, offset), (error.File, error.Offset));
        Assert.Contains($"transaction id {id} leaves a node no id to go on with", error.Message);
        Assert.Equal(before, LogFiles.Hashes(options.DataDirectory));
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Equal(error.Message, report.Restore?.Failure);
    }
}
