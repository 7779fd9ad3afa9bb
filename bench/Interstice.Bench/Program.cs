using Interstice.Bench.Suites.Wasm;

namespace Interstice.Bench;

/// <summary>
/// Runs one benchmark suite: <c>dotnet run -c Release --project bench/Interstice.Bench -- SUITE [options]</c>.
/// Each suite is one class implementing <see cref="IBenchmarkSuite"/> (or a static <c>Run</c>
/// method wrapped by <see cref="MethodSuite"/>), listed in <see cref="Suites"/>.
/// </summary>
internal static class Program
{
    private static readonly IBenchmarkSuite[] Suites =
    [
        new MethodSuite("frontend", "decode and validate throughput (default corpus: the spec suite's binary modules)",
            "usage: Interstice.Bench frontend [file.wasm...]", FrontEnd.FrontEndBenchmark.Run),
        new MethodSuite("backend", "generated code on small kernels: plain, with fuel, with NaN canonicalisation; host boundary costs",
            "usage: Interstice.Bench backend", BackEnd.BackEndBenchmark.Run),
        new WasmKernelsSuite(),
        new MethodSuite("abi", "row validate/decode/encode and schema assembly (module contract, host side)",
            "usage: Interstice.Bench abi", _ => Abi.AbiBenchmark.Run()),
        new MethodSuite("rowcheck", "checking 10^6 bench rows against their type: the interpreter (ValueCodec.Validate) vs a compiled ValueValidator",
            "usage: Interstice.Bench rowcheck [quick]", Abi.RowValidationBenchmark.Run),
        new MethodSuite("storage", "B+tree, table and transaction costs at 10^3 and 10^6 rows",
            "usage: Interstice.Bench storage [quick]", args => Storage.StorageBench.Run(args)),
        new MethodSuite("node", "reducer calls, inserts and lookups through the node beside SQLite, at 10^3 and 10^6 rows",
            "usage: Interstice.Bench node [quick]", args => Node.NodeBenchmark.Run(args)),
        new MethodSuite("durability", "reducer commits per policy beside SQLite (WAL, FULL/NORMAL); what a subscription handler adds to a durable call; a node's start on 10^6 rows vs reading its log; snapshots",
            "usage: Interstice.Bench durability [quick] [commits|handlers|replay]", args => Durability.DurabilityBench.Run(args)),
    ];

    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            PrintSuites(args.Length == 0 ? Console.Error : Console.Out);
            return args.Length == 0 ? 2 : 0;
        }
        var suite = Array.Find(Suites, s => s.Name == args[0]);
        if (suite is null)
        {
            Console.Error.WriteLine($"unknown suite '{args[0]}'");
            PrintSuites(Console.Error);
            return 2;
        }
        if (args is [_, "--help" or "-h"])
        {
            Console.Out.WriteLine(suite.Usage);
            return 0;
        }
        try
        {
            return suite.Run(args[1..], Console.Out);
        }
        catch (BenchmarkException e)
        {
            Console.Error.WriteLine($"{suite.Name}: {e.Message}");
            return 1;
        }
    }

    private static void PrintSuites(TextWriter writer)
    {
        writer.WriteLine("usage: Interstice.Bench <suite> [options]   (<suite> --help for its options)");
        writer.WriteLine();
        foreach (var suite in Suites) writer.WriteLine($"  {suite.Name,-9}  {suite.Summary}");
    }
}
