using Interstice.Core.Durability;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>The commit sink is the durability seam: when it fails, the node stops accepting writes rather than lose track of what is durable.</summary>
public class CommitSinkTests
{
    [Fact]
    public void A_failing_sink_stops_writes_and_reads_go_on()
    {
        var sink = new FailingSink();
        using var t = new TestNode(o => o with { CommitSink = sink }, "hello");
        sink.Failing = true;
        var error = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]"""));
        Assert.StartsWith("the commit sink failed on transaction #", error.Message);

        sink.Failing = false;
        var refused = Assert.Throws<NodeFaultedException>(() => t.Node.CallReducerJson("hello", "hello", """["Bo", "Happy"]"""));
        Assert.StartsWith("the node stopped accepting writes: the commit sink failed", refused.Message);
        Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { FuelPerCall = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { CallDeadline = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { MaxSubscriptionDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Core.Node(new NodeOptions { QueryInstancesPerModule = -1 }));
        Assert.Throws<ArgumentException>(() => new Core.Node(new NodeOptions { NodeName = "not a name" }));
    }

    private sealed class FailingSink : ICommitSink
    {
        public bool Failing { get; set; }

        public void Append(CommitRecord record)
        {
            if (Failing) throw new IOException("disk full");
        }
    }
}
