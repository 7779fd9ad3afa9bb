namespace Interstice.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "storage":
                return Storage.StorageBench.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: Interstice.Bench <suite>   suites: storage [quick]");
                return 2;
        }
    }
}
