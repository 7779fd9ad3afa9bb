using Interstice.Core.Durability;
using Interstice.Core.Durability.Records;
using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A forged log that leaves the id sequence of <c>interstice.pending_handlers</c> exhausted (a
/// node never gets there: it would take 2^64 handler calls): the node starts, and a call whose
/// writes owe handler calls fails as a call, since they cannot be recorded, committing nothing;
/// calls that owe none go on; a first load whose init handler calls cannot be recorded is
/// refused. (The storage exception used to escape from the call and the load.)
/// </summary>
public class ForgedSequenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_call_whose_handler_calls_cannot_be_recorded_fails_as_a_call_and_commits_nothing()
    {
        using var restarted = WithExhaustedSequence("call");
        var greetings = restarted.Rows("hello", "greetings");
        var failed = restarted.Fails("hello", "hello", """["Bo", "Happy"]""");
        Assert.Equal(CallFailure.Failed, failed.Failure);
        Assert.Contains("the subscription handler calls it owes cannot be recorded: the auto_inc sequence of interstice.pending_handlers.id (u64) is exhausted", failed.Message);
        Assert.Equal(greetings, restarted.Rows("hello", "greetings"));
        // A greeting again updates its row, which owes no handler call (caller follows inserts).
        restarted.Node.CallReducerJson("hello", "hello", """["Ann", "Grumpy"]""");
        Assert.Contains("Grumpy", restarted.Rows("hello", "greetings")[^1]);
    }

    /// <summary>
    /// A first load whose second <c>init</c> handler call cannot be recorded (its first runs in
    /// the load's own transaction, the others are recorded as owed) is refused as a load, undone,
    /// and the node goes on.
    /// </summary>
    [Fact]
    public void A_first_load_whose_init_handler_calls_cannot_be_recorded_is_refused_and_undone()
    {
        using var restarted = WithExhaustedSequence("first-load");
        byte[] twoInits = GuestModule.Build("starter", $$"""
            (module
              {{GuestModule.Runtime}}
              (func (export "interstice_reducer.a_first") (param i32 i32) (result i32) (i32.const 0))
              (func (export "interstice_reducer.b_second") (param i32 i32) (result i32) (i32.const 0)))
            """,
            reducers: """[{ "name": "a_first", "args": [] }, { "name": "b_second", "args": [] }]""",
            subscriptions: """[{ "reducer": "a_first", "on": "init" }, { "reducer": "b_second", "on": "init" }]""");

        var refused = Assert.Throws<ModuleLoadException>(() => restarted.Node.LoadModule(twoInits));
        Assert.StartsWith("cannot load module starter: its init handler calls cannot be recorded: the auto_inc sequence of interstice.pending_handlers.id (u64) is exhausted", refused.Message);
        Assert.DoesNotContain(restarted.Node.Modules, m => m.Name == "starter");
        restarted.Node.CallReducerJson("hello", "hello", """["Ann", "Grumpy"]""");
    }

    /// <summary>A node restarted on a log whose last move of the sequence of <c>interstice.pending_handlers</c> (by Ann's greeting, which owed caller's handler) is forged to 0: exhausted.</summary>
    private TestNode WithExhaustedSequence(string name)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(name), DurabilityPolicy.Sync);
        using (var node = new TestNode(o => o with { Durability = options }, "hello", "caller"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        }
        string segment = LogFiles.Segments(options.DataDirectory).Single().Path;
        var file = FramedFile.Read(segment);
        int last = file.Bodies.FindLastIndex(b => TransactionBody.Read(b)?.Sequences.Any(IsPendingHandlers) == true);
        var forged = TransactionBody.Read(file.Bodies[last])!;
        int move = forged.Sequences.FindIndex(IsPendingHandlers);
        forged.Sequences[move] = forged.Sequences[move] with { NextValue = 0 };
        file.Bodies[last] = forged.Write();
        file.Write(segment);
        return new TestNode(o => o with { Durability = options });
    }

    private static bool IsPendingHandlers(LoggedSequenceChange move) =>
        move.Module == SystemModule.Name && move.Table == SystemModule.PendingHandlersTable;
}
