using Interstice.Bench.Suites.Wasm;

namespace Interstice.Bench;

/// <summary>
/// Runs one benchmark suite: <c>dotnet run -c Release --project bench/Interstice.Bench -- SUITE [options]</c>.
/// Each suite is one class implementing <see cref="IBenchmarkSuite"/>, listed in <see cref="Suites"/>.
/// </summary>
internal static class Program
{
    private static readonly IBenchmarkSuite[] Suites =
    [
        new WasmKernelsSuite(),
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
        foreach (var suite in Suites) writer.WriteLine($"  {suite.Name,-8}  {suite.Summary}");
    }
}
