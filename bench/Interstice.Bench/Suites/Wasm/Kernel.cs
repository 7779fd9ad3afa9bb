namespace Interstice.Bench.Suites.Wasm;

/// <summary>
/// One compute kernel of bench/kernels (NAME.c exporting <c>run(n)</c>) and the n it is timed
/// with, chosen so that one run takes 50-300 ms in Node.js.
/// </summary>
internal sealed record Kernel(string Name, int N)
{
    /// <summary>Every kernel of the suite, in table order.</summary>
    public static readonly Kernel[] All =
    [
        new("fib", 37),
        new("sieve", 16_000_000),
        new("matmul", 512),
        new("sha256", 16_000_000),
        new("sort", 2_000_000),
        new("nbody", 2_000_000),
    ];
}
