using Interstice.Abi.Encoding;
using Interstice.Core.Durability;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// Reducers see only their arguments, the tables, the transaction's time and its seeded random
/// stream; each committed transaction is handed to the commit sink with what replay needs.
/// </summary>
public class DeterminismTests
{
    [Fact]
    public void The_same_calls_at_the_same_times_reach_the_same_state()
    {
        string[] Run()
        {
            using var t = new TestNode("hello");
            foreach (string name in new[] { "Ann", "Bo", "Cy", "Di", "Ed", "Flo" })
            {
                t.Clock.Advance(TimeSpan.FromSeconds(1));
                t.Node.CallReducerJson("hello", "hello", $$"""["{{name}}", "Happy"]""");
            }
            return [.. t.Rows("hello", "greetings")];
        }
        var first = Run();
        Assert.Equal(first, Run());
        // The salutation is drawn from the transaction's random stream: not always the same one.
        Assert.True(first.Select(r => r.Split(',')[3]).Distinct().Count() > 1, string.Join("\n", first));
    }

    [Fact]
    public void A_commit_record_holds_what_ran_when_with_which_seed_and_its_changes()
    {
        using var t = new TestNode("hello");
        t.Clock.Advance(TimeSpan.FromMinutes(1));
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");

        var record = t.Commits.Records[^1];
        Assert.Equal((CommitKind.Call, "hello", "hello", "client"), (record.Kind, record.Module, record.Function, record.Caller));
        Assert.Equal(t.Clock.Micros, record.Timestamp);
        Assert.Equal([3, .. "Ann"u8, 0], record.Arguments.ToArray());
        var change = Assert.Single(record.Changes.Rows.ToArray());
        Assert.Equal(Core.Transactions.RowChangeKind.Insert, change.Kind);
        Assert.Equal("hello.greetings", change.Table.QualifiedName);
        Assert.NotEqual(0ul, record.RandomSeed);
        Assert.Equal(3ul, record.Changes.Sequences[0].NextValue); // the auto_inc sequence moved with it
    }

    [Fact]
    public void Loads_and_init_are_recorded_and_transactions_without_effects_are_not()
    {
        using var t = new TestNode("hello", "bench");
        var kinds = t.Commits.Records.Select(r => (r.Kind, r.Module, r.Function)).ToArray();
        // hello's first load is recorded by its init handler's transaction; bench has no init handler.
        Assert.Equal([(CommitKind.Subscription, "hello", "setup"), (CommitKind.ModuleLoaded, "bench", null)], kinds);
        Assert.Contains(t.Commits.Records[0].Changes.Rows.ToArray(), row => row.Table.Module == "interstice");

        long before = t.Commits.Records[^1].Sequence;
        t.Node.CallReducer("bench", "noop", ReadOnlySpan<byte>.Empty);
        t.Node.CallReducer("bench", "insert_one", ValueCodec.Encode(
            t.Node.Modules[1].Schema.FindReducer("insert_one")!.ArgsType,
            ValueJson.Parse("""[1, 1, "a", ""]""", t.Node.Modules[1].Schema.FindReducer("insert_one")!.ArgsType, t.Node.Modules[1].Schema.TypeTable),
            t.Node.Modules[1].Schema.TypeTable));
        var last = t.Commits.Records[^1];
        Assert.Equal("insert_one", last.Function);
        Assert.Equal(before + 2, last.Sequence); // the noop counted in the order, unrecorded
    }
}
