using Interstice.Core.Durability;

namespace Interstice.Core.CrashNode;

/// <summary>
/// The child process of the crash test (tests/Interstice.Core.Tests/Durability/NodeCrashTests.cs):
/// <c>Interstice.Core.CrashNode DATA-DIR sync|interval|none WRITERS RUN BANK-WASM HELLO-WASM TALLY-WASM STEP</c>
/// starts a durable node on DATA-DIR (restoring what an earlier run left), loads the example
/// module <c>bank</c> and the module <c>tally</c> (TALLY-WASM: a subscription handler of bank's
/// account updates, which the test builds) if the node does not have them yet, makes sure every
/// writer has its two accounts, prints <c>ready</c>, then runs, until the process is killed:
/// <list type="bullet">
/// <item>WRITERS threads that call <c>bank.transfer</c> back and forth between their own two
/// accounts. Writer W's K-th call (K counts from RUN * 10^6 + 1) moves K units, from its first
/// account to its second when K is even, back when it is odd; it prints <c>call W K</c> before
/// the call and <c>ack W K</c> once the node returned (the transaction is as durable as the
/// policy promises);</item>
/// <item>the keeper (<see cref="Keeper"/>), which loads, calls, unloads and removes the example
/// module <c>hello</c> (HELLO-WASM) in a fixed cycle, resumed at step STEP, printing
/// <c>op K STEP</c> and <c>done K</c> likewise.</item>
/// </list>
/// Snapshots and segment rotation happen along the way (small thresholds).
/// </summary>
public static class Program
{
    /// <summary>What every account starts with (far more than the transfers ever move).</summary>
    public const ulong StartingBalance = 1_000_000_000_000;

    public static string FirstAccount(int writer) => $"w{writer}a";

    public static string SecondAccount(int writer) => $"w{writer}b";

    public static ulong FirstCall(int run) => (ulong)run * 1_000_000 + 1;

    public static int Main(string[] args)
    {
        if (args.Length != 8 || !Enum.TryParse<DurabilityPolicy>(args[1], ignoreCase: true, out var policy)
            || !int.TryParse(args[2], out int writers) || !int.TryParse(args[3], out int run)
            || !int.TryParse(args[7], out int step) || step < 0 || step >= Keeper.Cycle.Count)
        {
            Console.Error.WriteLine($"usage: Interstice.Core.CrashNode DATA-DIR sync|interval|none WRITERS RUN BANK-WASM HELLO-WASM TALLY-WASM STEP (0 to {Keeper.Cycle.Count - 1})");
            return 2;
        }
        var node = new Node(new NodeOptions
        {
            Durability = new DurabilityOptions(args[0])
            {
                Policy = policy,
                FlushInterval = TimeSpan.FromMilliseconds(5),
                SegmentSize = 64 << 10,
                SnapshotEveryRecords = 300,
                SnapshotEveryBytes = 0,
            },
        });
        if (!node.Modules.Any(m => m.Name == "bank")) node.LoadModuleFile(args[4]);
        if (!node.Modules.Any(m => m.Name == "tally")) node.LoadModuleFile(args[6]);
        byte[] hello = File.ReadAllBytes(args[5]);
        for (int w = 0; w < writers; w++)
        {
            foreach (string account in new[] { FirstAccount(w), SecondAccount(w) })
            {
                string balance = node.RunQueryJson("bank", "available", $"[\"{account}\"]");
                if (balance == "null") node.CallReducerJson("bank", "open", $"[\"{account}\"]");
                if (balance is "null" or "0") node.CallReducerJson("bank", "deposit", $"[\"{account}\", {StartingBalance}]");
            }
        }

        var output = Console.Out;
        output.WriteLine("ready");
        output.Flush();
        void Print(string line) => Write(output, line);
        var threads = new Thread[writers + 1];
        for (int w = 0; w < writers; w++)
        {
            int writer = w;
            threads[w] = new Thread(() =>
            {
                for (ulong k = FirstCall(run); ; k++)
                {
                    Print($"call {writer} {k}");
                    bool forth = k % 2 == 0;
                    string from = forth ? FirstAccount(writer) : SecondAccount(writer);
                    string to = forth ? SecondAccount(writer) : FirstAccount(writer);
                    node.CallReducerJson("bank", "transfer", $"[\"{from}\", \"{to}\", {k}]");
                    Print($"ack {writer} {k}");
                }
            }) { IsBackground = true };
            threads[w].Start();
        }
        threads[writers] = new Thread(() => Keeper.Run(node, hello, run, step, Print)) { IsBackground = true };
        threads[writers].Start();
        foreach (var thread in threads) thread.Join();
        return 0;
    }

    private static void Write(TextWriter output, string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
