namespace Interstice.Core.CrashNode;

/// <summary>What one step of the keeper's cycle does to the example module <c>hello</c>.</summary>
public enum KeeperAction
{
    /// <summary>Loads hello: a first load (its <c>init</c> greets the world) when the node keeps nothing of it, a load again when it kept its tables.</summary>
    Load,
    /// <summary>Calls <c>hello.hello(name, mood)</c>.</summary>
    Greet,
    Unload,
    /// <summary>Removes hello, loaded or kept: its tables and record are gone.</summary>
    Remove,
}

/// <summary>
/// One step of the keeper's cycle. A <see cref="KeeperAction.Greet"/> greets
/// <paramref name="Name"/>, or, when it is null, a name of its own (<see cref="Keeper.NameOf"/>).
/// </summary>
public sealed record KeeperStep(KeeperAction Action, string? Name = null, string? Mood = null);

/// <summary>
/// The crash test's keeper: a thread beside the bank writers that manages the example module
/// <c>hello</c> in a fixed cycle of <see cref="Cycle"/>, so that kills land in the middle of
/// loads, unloads and removals. Its K-th operation (K counts from <see cref="Program.FirstCall"/>,
/// as the writers' calls do) is step <c>(START + K - FirstCall(RUN)) % 10</c> of the cycle, START
/// being where the test says the cycle resumes (the test knows which steps the directory holds);
/// it prints <c>op K STEP</c> before the operation and <c>done K</c> once the node returned.
/// </summary>
public static class Keeper
{
    /// <summary>
    /// The cycle, from a node that keeps nothing of hello: every kind of load and removal, with
    /// calls in between (an insert, an update of the row <c>init</c> wrote, an insert again after
    /// <c>init</c> ran a second time).
    /// </summary>
    public static IReadOnlyList<KeeperStep> Cycle { get; } =
    [
        new(KeeperAction.Load),                 // first load: init greets the world
        new(KeeperAction.Greet, Mood: "Happy"),
        new(KeeperAction.Unload),
        new(KeeperAction.Load),                 // again: the tables are taken back, init does not run
        new(KeeperAction.Greet, "world", "Grumpy"),
        new(KeeperAction.Remove),               // of a loaded module
        new(KeeperAction.Load),                 // first load again: init greets the world again
        new(KeeperAction.Greet, Mood: "Neutral"),
        new(KeeperAction.Unload),
        new(KeeperAction.Remove),               // of a kept module
    ];

    /// <summary>The name operation <paramref name="call"/> greets when its step names none.</summary>
    public static string NameOf(ulong call) => $"k{call}";

    /// <summary>Runs the cycle from step <paramref name="start"/> until the process is killed.</summary>
    public static void Run(Node node, byte[] hello, int run, int start, Action<string> write)
    {
        ulong first = Program.FirstCall(run);
        for (ulong k = first; ; k++)
        {
            int index = (int)((ulong)start + k - first) % Cycle.Count;
            var step = Cycle[index];
            write($"op {k} {index}");
            switch (step.Action)
            {
                case KeeperAction.Load:
                    node.LoadModule(hello);
                    break;
                case KeeperAction.Greet:
                    node.CallReducerJson("hello", "hello", $"[\"{step.Name ?? NameOf(k)}\", \"{step.Mood}\"]");
                    break;
                case KeeperAction.Unload:
                    node.UnloadModule("hello");
                    break;
                case KeeperAction.Remove:
                    node.RemoveModule("hello");
                    break;
            }
            write($"done {k}");
        }
    }
}
