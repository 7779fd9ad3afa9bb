namespace Interstice.Bench;

internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : null)
        {
            case "frontend":
                return FrontEnd.FrontEndBenchmark.Run(args[1..]);
            case "backend":
                return BackEnd.BackEndBenchmark.Run(args[1..]);
            case "abi":
                return Abi.AbiBenchmark.Run();
            case "storage":
                return Storage.StorageBench.Run(args[1..]);
            case "durability":
                return Durability.DurabilityBench.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: Interstice.Bench <suite> [arguments]");
                Console.Error.WriteLine("suites:");
                Console.Error.WriteLine("  frontend [file.wasm...]   decode and validate throughput (default corpus: the spec suite's binary modules)");
                Console.Error.WriteLine("  backend                   generated code on small kernels: plain, with fuel, with NaN canonicalisation; host boundary costs");
                Console.Error.WriteLine("  abi                       row validate/decode/encode and schema assembly (module contract, host side)");
                Console.Error.WriteLine("  storage [quick]           B+tree, table and transaction costs at 10^3 and 10^6 rows");
                Console.Error.WriteLine("  durability [quick]        commits per policy beside SQLite (WAL, FULL/NORMAL), log replay of 10^6 rows vs reading it, snapshots");
                return 2;
        }
    }
}
