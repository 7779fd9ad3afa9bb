using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// One node per data directory: the store holds the directory's lock from before recovery until
/// it is disposed, so a second store or node on the same directory is refused and cannot
/// overwrite the first one's commits. Listing a directory tells "not there yet" from "a file".
/// </summary>
public class DataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private DurabilityOptions Options() => CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync);

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused_and_the_first_keeps_its_commits()
    {
        var options = Options();
        using (var first = new CommitPathHarness(options)) first.LoadModule("a", "t").Wait();

        using (var holder = new CommitPathHarness(options))
        {
            var refused = Assert.Throws<DataDirectoryInUseException>(() => new CommitPathHarness(options));
            Assert.Equal(_temp.Combine("data"), refused.Directory);
            Assert.Equal(_temp.Combine("data", DataDirectoryLock.FileName), refused.LockFile);
            Assert.Contains($"the data directory {_temp.Combine("data")} is in use: another node holds it", refused.Message);
            holder.LoadModule("c", "v").Wait();
        }

        using var reopened = new CommitPathHarness(options);
        Assert.Equal(["loaded a", "loaded c"], reopened.Handler.Calls);
        Assert.Equal(reopened.Recovered.LastTransactionId, reopened.Log.LastTransactionId);
    }

    [Fact]
    public void Recovery_on_its_own_is_refused_while_a_store_holds_the_directory_and_cuts_nothing()
    {
        var options = Options();
        using var holder = new CommitPathHarness(options);
        holder.LoadModule("a", "t").Wait();
        var segment = LogFiles.Segments(options.DataDirectory)[^1].Path;
        LogFiles.Append(segment, [1, 2, 3]); // what a write in flight looks like
        long length = new FileInfo(segment).Length;

        Assert.Throws<DataDirectoryInUseException>(() =>
            CommitPathHarness.RecoverOnly(options));
        Assert.Equal(length, new FileInfo(segment).Length);
    }

    [Fact]
    public void A_node_disposed_from_its_own_table_callback_refuses_and_still_closes_later_releasing_the_directory()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("node"), DurabilityPolicy.Sync);
        var refusals = new List<string>();
        var node = new TestNode(o => o with { Durability = options }, "hello");
        using (node.Node.Subscribe("hello", "greetings", _ =>
        {
            try
            {
                node.Node.Dispose();
            }
            catch (InvalidOperationException e)
            {
                refusals.Add(e.Message);
            }
        }))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        }
        Assert.Contains("already running a transaction on this thread", Assert.Single(refusals));
        node.Dispose();
        using var again = new TestNode(o => o with { Durability = options });
        Assert.Contains(again.Rows("hello", "greetings"), row => row.Contains("Ann", StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_disposed_from_the_warning_of_a_failed_log_refuses_and_still_closes_later()
    {
        var hooks = new RecordingHooks();
        var refusals = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var tried = new ManualResetEventSlim();
        TestNode? node = null;
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("warned"), DurabilityPolicy.Sync) with
        {
            Hooks = hooks,
            Warning = _ =>
            {
                try
                {
                    node!.Node.Dispose();
                }
                catch (InvalidOperationException e)
                {
                    refusals.Enqueue(e.Message);
                }
                tried.Set();
            },
        };
        node = new TestNode(o => o with { Durability = options }, "hello");
        hooks.SyncFailure = new IOException("simulated I/O error");
        Assert.ThrowsAny<IOException>(() => node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
        // The failure wakes the caller before the callback runs: wait for the callback's attempt.
        // Before the refusal, that attempt never returned: the writer thread joined itself.
        Assert.True(tried.Wait(TimeSpan.FromSeconds(30)), "the Warning callback's Dispose did not return");
        Assert.Contains("the commit log's Warning callback cannot dispose the node", Assert.Single(refusals));
        node.Dispose();
        using var again = new TestNode(o => o with { Durability = options with { Hooks = null, Warning = null } });
    }

    [Fact]
    public void A_commit_log_opened_on_its_own_takes_the_lock_and_releases_it_when_disposed()
    {
        var options = Options();
        using (var holder = new CommitPathHarness(options))
        {
            Assert.Throws<DataDirectoryInUseException>(() => CommitLog.Open(options));
        }
        using (var log = CommitLog.Open(options))
        {
            Assert.Throws<DataDirectoryInUseException>(() => new CommitPathHarness(options));
        }
        using var after = new CommitPathHarness(options);
    }

    [Fact]
    public void The_lock_is_released_on_dispose_and_a_new_store_opens_after_it()
    {
        var options = Options();
        var first = new CommitPathHarness(options);
        first.LoadModule("a", "t").Wait();
        first.Dispose();

        using (var second = new CommitPathHarness(options)) second.LoadModule("b", "u").Wait();
        using var third = new CommitPathHarness(options);
        Assert.Equal(["loaded a", "loaded b"], third.Handler.Calls);
    }

    [Fact]
    public void A_store_whose_log_cannot_be_opened_releases_the_lock()
    {
        var options = Options();
        using (var first = new CommitPathHarness(options))
        {
            foreach (string module in new[] { "a", "b", "c" }) first.LoadModule(module, "t").Wait();
        }
        var recovered = CommitPathHarness.RecoverOnly(options);
        // Damage in the middle after recovery, and a length change so that the log reads the segment again.
        var records = LogFiles.Records(options.DataDirectory);
        LogFiles.FlipByte(records[1].Segment, records[1].Offset + 10);
        LogFiles.Append(records[1].Segment, [1, 2, 3]);

        Assert.Throws<CorruptDataException>(() => DurableStore.Open(options, recovered));
        using var held = DataDirectoryLock.Acquire(new DataDirectory(options.DataDirectory));
        Assert.True(File.Exists(held.Path));
    }

    [Fact]
    public void A_second_node_is_refused_before_its_recovery_touches_the_log()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync);
        using var first = new TestNode(o => o with { Durability = options }, "hello");
        first.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        // A torn tail as the first node might leave it mid-write: a recovery would cut it away.
        string segment = LogFiles.Records(options.DataDirectory)[^1].Segment;
        long length = new FileInfo(segment).Length;
        LogFiles.Append(segment, [1, 2, 3]);

        var refused = Assert.Throws<DataDirectoryInUseException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Contains(_temp.Combine("data"), refused.Message);
        Assert.Equal(length + 3, new FileInfo(segment).Length);
    }

    [Fact]
    public void A_data_directory_that_is_a_file_is_not_a_directory_for_listing_and_for_the_lock()
    {
        string file = _temp.Combine("file");
        File.WriteAllText(file, "not a directory");
        var directory = new DataDirectory(file);
        Assert.Contains($"{file} is not a directory", Assert.Throws<IOException>(() => directory.ListSegments(includeArchive: true)).Message);
        Assert.Contains($"{file} is not a directory", Assert.Throws<IOException>(() => directory.ListSnapshots()).Message);
        Assert.Contains($"{file} is not a directory", Assert.Throws<IOException>(() => DataDirectoryLock.Acquire(directory)).Message);
    }

    [Fact]
    public void A_log_that_is_a_file_is_not_a_directory_and_a_missing_one_is_empty()
    {
        var directory = new DataDirectory(_temp.Combine("data"));
        Assert.Empty(directory.ListSegments(includeArchive: true));
        Assert.Empty(directory.ListSnapshots());

        Directory.CreateDirectory(directory.Root);
        File.WriteAllText(directory.LogDirectory, "not a directory");
        Assert.Contains($"{directory.LogDirectory} is not a directory", Assert.Throws<IOException>(() => directory.ListSegments()).Message);
        Assert.Contains($"{directory.LogDirectory} is not a directory", Assert.Throws<IOException>(() => directory.ListSegments(includeArchive: true)).Message);
    }
}
