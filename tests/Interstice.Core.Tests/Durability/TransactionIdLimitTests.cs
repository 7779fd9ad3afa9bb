using System.Buffers.Binary;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A node numbers its transactions with a signed 64-bit counter and writes no id past
/// <see cref="LogFormat.MaxTransactionId"/> (2^63 - 2), so that every id it writes is one its
/// next start takes back. A log record or snapshot claiming a higher id (forged, its checksum
/// made to hold) is refused by the start, naming the file, and verify agrees; a node started
/// at the highest id faults on its first write instead of writing past it.
/// </summary>
public class TransactionIdLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(9223372036854775807UL)]
    [InlineData(1UL << 63)]
    [InlineData(ulong.MaxValue)]
    public void A_last_transaction_id_past_the_highest_a_node_writes_stops_the_start(ulong id)
    {
        var options = WithGreeting($"id-{id}");
        var (segment, offset) = ForgeLastId(options, id);
        var before = LogFiles.Hashes(options.DataDirectory);

        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal((segment, offset), (error.File, error.Offset));
        Assert.Contains($"transaction id {id} is past the highest a node writes ({LogFormat.MaxTransactionId}", error.Message);
        Assert.Equal(before, LogFiles.Hashes(options.DataDirectory));
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Equal(error.Message, report.Restore?.Failure);
    }

    [Fact]
    public void A_node_at_the_highest_id_faults_on_its_first_write_and_writes_nothing_its_next_start_refuses()
    {
        var options = WithGreeting("at-the-limit");
        ForgeLastId(options, LogFormat.MaxTransactionId);
        Assert.True(LogVerifier.Verify(options.DataDirectory).IsHealthy);
        var before = LogFiles.Hashes(options.DataDirectory);

        using (var node = new TestNode(o => o with { Durability = options }))
        {
            var fault = Assert.Throws<NodeFaultedException>(() => node.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]"""));
            Assert.Contains($"transaction ids are used up: the last, {LogFormat.MaxTransactionId}, is the highest a node writes", fault.Message);
        }
        Assert.Equal(before, LogFiles.Hashes(options.DataDirectory));
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Single(again.Rows("hello", "greetings"), row => row.Contains("Ann", StringComparison.Ordinal));
    }

    /// <summary>
    /// A snapshot claiming an id past the limit (its name and header forged) does not fit: the
    /// start skips it, as any snapshot that does not fit, and tries an older state; verify says so.
    /// </summary>
    [Fact]
    public void A_snapshot_past_the_highest_id_is_skipped_as_unfit()
    {
        var options = WithGreeting("snapshot");
        using (var node = new TestNode(o => o with { Durability = options })) node.Node.TakeSnapshot();
        var directory = new DataDirectory(options.DataDirectory);
        var snapshot = directory.ListSnapshots().Single();
        var file = FramedFile.Read(snapshot.Path);
        ulong id = (ulong)long.MaxValue;
        BinaryPrimitives.WriteUInt64LittleEndian(file.Header.AsSpan(16), id);
        File.Delete(snapshot.Path);
        file.Write(directory.SnapshotPath(id));

        var report = LogVerifier.Verify(options.DataDirectory);
        var unfit = Assert.Single(report.Restore!.UnfitSnapshots);
        Assert.Contains($"transaction id {id} is past the highest a node writes", unfit.Reason);
        Assert.False(report.IsHealthy);
    }

    private DurabilityOptions WithGreeting(string name)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(name), DurabilityPolicy.Sync);
        using var node = new TestNode(o => o with { Durability = options }, "hello");
        node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        return options;
    }

    /// <summary>Gives the log's last record <paramref name="id"/>, its checksum made to hold; returns where it is.</summary>
    private static (string Segment, long Offset) ForgeLastId(DurabilityOptions options, ulong id)
    {
        string segment = LogFiles.Segments(options.DataDirectory).Single().Path;
        var file = FramedFile.Read(segment);
        BinaryPrimitives.WriteUInt64LittleEndian(file.Bodies[^1].AsSpan(1), id);
        file.Write(segment);
        return (segment, file.OffsetOf(file.Bodies.Count - 1));
    }
}
