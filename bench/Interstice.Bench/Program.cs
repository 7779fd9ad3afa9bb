namespace Interstice.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : null)
        {
            case "storage":
                return Storage.StorageBench.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: Interstice.Bench <suite> [arguments]");
                Console.Error.WriteLine("suites:");
                Console.Error.WriteLine("  storage [quick]           B+tree, one-row and large transactions, non-unique indexes (storage layer)");
                return 2;
        }
    }
}
