using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A record that fails to encode leaves the log as it was before the append: no bytes, and no
/// segment start. The record that made the log start a new segment (its segment was full) is
/// the one the new segment is named and chained for; when it fails, the next record that
/// succeeds must start that segment itself, or the segment's header names a transaction that
/// is not in it (damage for recovery and verify) or an empty segment is left behind. A node
/// event that fails to encode must not leave its half-written frame (damage in the middle).
/// </summary>
public class FailedAppendTests : IDisposable
{
    private const long Timestamp = 1_800_000_000_000_000;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options() => CommitPathHarness.DefaultOptions(_temp.Combine("data")) with
    {
        SegmentSize = 4096,
    };

    /// <summary>
    /// An update whose old row is missing: measured without it, written with it, so the encoder
    /// overruns the frame it reserved and throws (the way any encoding failure after the
    /// reservation does). Big enough not to fit in what is left of a segment with records.
    /// </summary>
    private static ChangeSet Unencodable(Table table)
    {
        var row = new TestRow(999, 0, "bad", new string('x', 3000)).Encode();
        return new ChangeSet([new RowChange(table, RowChangeKind.Update, TestTables.U64(999), oldRow: null, newRow: row)], [], fromTransaction: false);
    }

    /// <summary>Commits one insert with transaction id <paramref name="id"/> straight through the log.</summary>
    private static void Insert(CommitPathHarness node, ulong id, TestRow row)
    {
        var table = node.Table("game", "players");
        ChangeSet changes;
        using (var transaction = node.Database.BeginTransaction())
        {
            TestTables.Insert(transaction, table, row);
            changes = transaction.Commit();
        }
        node.Log.AppendTransaction(id, Timestamp, [1], changes).Wait();
        node.Database.Apply(changes);
    }

    private static void AssertLogHealthy(string directory, ulong lastTransactionId, int rows)
    {
        var report = LogVerifier.Verify(directory, new TestSchema.Handler());
        Assert.True(report.IsHealthy, report.Corruption?.Message ?? report.CoverageProblem ?? report.Restore?.Failure ?? "unhealthy");
        Assert.DoesNotContain(report.Segments, segment => segment.Records == 0);
        using var again = new CommitPathHarness(CommitPathHarness.DefaultOptions(directory, DurabilityPolicy.Sync));
        Assert.Equal(lastTransactionId, again.Recovered.LastTransactionId);
        using var view = again.Database.BeginReadOnly();
        Assert.Equal(rows, TestTables.Rows(view.Scan(again.Table("game", "players"))).Count);
    }

    [Fact]
    public void A_record_that_fails_to_encode_when_its_segment_is_full_leaves_the_next_record_to_start_the_segment()
    {
        var options = Options();
        ulong failed;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            node.Insert(node.Table("game", "players"), new TestRow(1, 1, "player1", new string('y', 2000)));
            failed = node.LastId + 1;
            Assert.ThrowsAny<Exception>(() => node.Log.AppendTransaction(failed, Timestamp, [1], Unencodable(node.Table("game", "players"))));
            Assert.Equal(node.LastId, node.Log.LastTransactionId);

            // The executor spends the failed transaction's id: the next one follows it.
            Insert(node, failed + 1, new TestRow(2, 2, "player2", new string('z', 3000)));
        }
        var segments = LogFiles.Segments(options.DataDirectory);
        Assert.Equal([1ul, failed + 1], segments.Select(s => s.FirstTransactionId));
        AssertLogHealthy(options.DataDirectory, failed + 1, rows: 2);
    }

    [Fact]
    public void A_first_record_that_fails_to_encode_leaves_no_segment_named_for_it()
    {
        var options = Options();
        using (var node = new CommitPathHarness(options))
        {
            var table = TestSchema.CreateTable(new Database(), "game", "players");
            Assert.ThrowsAny<Exception>(() => node.Log.AppendTransaction(1, Timestamp, [1], Unencodable(table)));
            node.Log.AppendEvent(new ModuleLoadedRecord(2, Timestamp, "game", new byte[] { 1 }, TestSchema.Encode("players"))).Wait();
        }
        Assert.Equal(2ul, Assert.Single(LogFiles.Segments(options.DataDirectory)).FirstTransactionId);
        AssertLogHealthy(options.DataDirectory, 2, rows: 0);
    }

    [Fact]
    public void A_log_closed_after_a_failed_encode_at_a_full_segment_leaves_no_empty_segment()
    {
        var options = Options();
        ulong last;
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            node.Insert(node.Table("game", "players"), new TestRow(1, 1, "player1", new string('y', 2000)));
            last = node.LastId;
            Assert.ThrowsAny<Exception>(() => node.Log.AppendTransaction(last + 1, Timestamp, [1], Unencodable(node.Table("game", "players"))));
            // A node faults here and closes: the log writes and fsyncs what is pending.
        }
        Assert.Single(LogFiles.Segments(options.DataDirectory));
        AssertLogHealthy(options.DataDirectory, last, rows: 1);
    }

    [Fact]
    public void A_node_event_that_fails_to_encode_leaves_no_bytes_behind()
    {
        var options = Options();
        using (var node = new CommitPathHarness(options))
        {
            node.LoadModule("game", "players");
            Assert.ThrowsAny<Exception>(() => node.Log.AppendEvent(new OverlongEvent(node.LastId + 1)));
            Insert(node, node.LastId + 2, new TestRow(1, 1, "player1", "tag"));
        }
        AssertLogHealthy(options.DataDirectory, 3, rows: 1);
    }

    /// <summary>A node event that writes more than it measured, so encoding it overruns its frame.</summary>
    private sealed class OverlongEvent(ulong transactionId) : NodeEventRecord(transactionId, FailedAppendTests.Timestamp, "game")
    {
        public override LogRecordKind Kind => LogRecordKind.ModuleRemoved;

        internal override int PayloadSize => FieldWriter.StringSize(Module);

        internal override void WritePayload(ref FieldWriter writer)
        {
            writer.WriteString(Module);
            writer.WriteString(Module);
        }
    }
}
