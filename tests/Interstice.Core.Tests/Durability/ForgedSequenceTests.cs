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
/// calls that owe none go on. (The storage exception used to escape from the call.)
/// </summary>
public class ForgedSequenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_call_whose_handler_calls_cannot_be_recorded_fails_as_a_call_and_commits_nothing()
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine("data"), DurabilityPolicy.Sync);
        using (var node = new TestNode(o => o with { Durability = options }, "hello", "caller"))
        {
            node.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        }
        // The last move of the sequence (by Ann's greeting, which owed caller's handler) forged to 0: exhausted.
        string segment = LogFiles.Segments(options.DataDirectory).Single().Path;
        var file = FramedFile.Read(segment);
        int last = file.Bodies.FindLastIndex(b => TransactionBody.Read(b)?.Sequences.Any(IsPendingHandlers) == true);
        var forged = TransactionBody.Read(file.Bodies[last])!;
        int move = forged.Sequences.FindIndex(IsPendingHandlers);
        forged.Sequences[move] = forged.Sequences[move] with { NextValue = 0 };
        file.Bodies[last] = forged.Write();
        file.Write(segment);

        using var restarted = new TestNode(o => o with { Durability = options });
        var greetings = restarted.Rows("hello", "greetings");
        var failed = restarted.Fails("hello", "hello", """["Bo", "Happy"]""");
        Assert.Equal(CallFailure.Failed, failed.Failure);
        Assert.Contains("the subscription handler calls it owes cannot be recorded: the auto_inc sequence of interstice.pending_handlers.id (u64) is exhausted", failed.Message);
        Assert.Equal(greetings, restarted.Rows("hello", "greetings"));
        // A greeting again updates its row, which owes no handler call (caller follows inserts).
        restarted.Node.CallReducerJson("hello", "hello", """["Ann", "Grumpy"]""");
        Assert.Contains("Grumpy", restarted.Rows("hello", "greetings")[^1]);
    }

    private static bool IsPendingHandlers(LoggedSequenceChange move) =>
        move.Module == SystemModule.Name && move.Table == SystemModule.PendingHandlersTable;
}
