using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// Once the commit log has failed the store takes no snapshot, asked for or due: memory may hold
/// transactions the log never wrote. It refuses before writing anything.
/// </summary>
public class SnapshotAfterLogFailureTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingHooks _hooks = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A store whose log failed on its second record (the first, a module load, is durable).</summary>
    private CommitPathHarness FailedStore(string name, List<string> warnings)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(name), DurabilityPolicy.Sync) with
        {
            Hooks = _hooks,
            SnapshotEveryRecords = 1,
            Warning = warnings.Add,
        };
        var node = new CommitPathHarness(options);
        node.LoadModule("game", "players").Wait();
        _hooks.SyncFailure = new IOException("simulated: no space left on device");
        // Appended directly, not through the harness's commit, which would start the due snapshot.
        Interstice.Core.Transactions.ChangeSet changes;
        using (var transaction = node.Database.BeginTransaction()) changes = transaction.Commit();
        var ticket = node.Log.AppendTransaction(node.LastId + 1, 1_700_000_000_000_000, [1], changes);
        Assert.Throws<CommitLogFailedException>(ticket.Wait);
        return node;
    }

    /// <summary>Every file in <c>snapshots/</c>, a snapshot being written (<c>.tmp</c>) included.</summary>
    private static string[] SnapshotFiles(CommitPathHarness node)
    {
        string snapshots = new DataDirectory(node.Options.DataDirectory).SnapshotDirectory;
        return Directory.Exists(snapshots) ? Directory.GetFiles(snapshots) : [];
    }

    [Fact]
    public void A_snapshot_asked_for_after_the_log_failed_is_refused_before_anything_is_written()
    {
        var warnings = new List<string>();
        using var node = FailedStore("asked", warnings);
        var error = Assert.Throws<CommitLogFailedException>(() => { _ = node.Store.TakeSnapshot(node.Database); });
        Assert.StartsWith("no snapshot is taken: the commit log failed, so memory may not match it: ", error.Message);
        Assert.Contains("no space left on device", error.Message);
        Assert.Empty(SnapshotFiles(node));
    }

    [Fact]
    public void A_snapshot_due_after_the_log_failed_is_not_started()
    {
        var warnings = new List<string>();
        using var node = FailedStore("due", warnings);
        Assert.Null(node.Store.SnapshotIfDue(node.Database));
        Assert.Null(node.Store.SnapshotInProgress);
        Assert.Contains(warnings, w => w.StartsWith("a due snapshot could not be started: no snapshot is taken: the commit log failed", StringComparison.Ordinal));
        Assert.Empty(SnapshotFiles(node));
    }
}
