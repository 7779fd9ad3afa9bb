using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Wasm.Tests.Compilation;

/// <summary>
/// Loop versioning (a guard, a fast version without the bounds checks it proved unneeded, the
/// checked version as fallback) must not change anything observable. Each case runs two modules
/// that differ in one instruction: <c>MARK</c> is an empty <c>block</c> in the first, whose loop
/// is versioned, and an empty <c>loop</c> in the second, which makes the loop around it not
/// innermost, so it is compiled once, checked, as before; every run checks, in what the compiler
/// recorded, that it versioned one loop in the first and none in the second. Both charge the same fuel. The two must
/// end the same way: same result or trap, same memory, same fuel left, with and without fuel
/// metering, for inputs that stay in bounds and inputs that go out of bounds mid-loop. A versioned
/// loop may run its first few iterations checked (at most 16), so the cases that probe the fast version near the
/// end of memory run longer than that.
/// </summary>
public sealed class LoopVersioningTests
{
    private const int MemoryBytes = 2 * 65536;

    /// <summary>i32 stores and loads off an induction variable, up to the very end of memory.</summary>
    private const string Fill = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $start i32) (param $end i32) (result i32) (local $i i32) (local $sum i32)
            (local.set $i (local.get $start))
            (block $done
              (loop $l
                MARK
                (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
                (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $i) (i32.const 1)))
                (local.set $sum (i32.add (local.get $sum) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
            (local.get $sum)))
        """;

    /// <summary>Three stores per iteration, the middle one to an array that runs off the end: a trap must leave the first store of its iteration done and the third not.</summary>
    private const string ThreeArrays = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $y i32) (param $n i32) (result i32) (local $i i32)
            (loop $l
              MARK
              (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $i) (i32.const 100)))
              (i32.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
              (i32.store offset=4096 (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $i) (i32.const 200)))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $i)))
        """;

    /// <summary>A pointer that walks down (by 8) and reads 8 bytes below itself: it crosses address 0 and wraps around.</summary>
    private const string Descending = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $p i32) (param $n i32) (result i32) (local $sum i64)
            (loop $l
              MARK
              (local.set $sum (i64.add (local.get $sum) (i64.load (i32.add (local.get $p) (i32.const -8)))))
              (i64.store offset=8 (i32.add (local.get $p) (i32.const -8)) (local.get $sum))
              (local.set $p (i32.sub (local.get $p) (i32.const 8)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (i32.wrap_i64 (local.get $sum))))
        """;

    /// <summary>A stride and a base from the arguments (the stride read as signed), like the sieve's inner loop; derived locals with offsets, like nbody's.</summary>
    private const string Strided = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $p i32) (param $step i32) (param $n i32) (result i32) (local $q i32) (local $sum i32)
            (loop $l
              MARK
              (i32.store8 (local.get $p) (i32.const 1))
              (local.set $q (i32.add (local.get $p) (i32.const 16)))
              (i32.store16 offset=2 (local.get $q) (i32.load16_u offset=2 (local.get $q)))
              (local.set $sum (i32.add (local.get $sum) (i32.load8_u offset=7 (local.get $q))))
              (local.set $p (i32.add (local.get $p) (local.get $step)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum)))
        """;

    /// <summary>Eight loads per iteration off one pointer: enough checks saved that the loop goes straight to the guard, without warm-up.</summary>
    private const string Unrolled = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $p i32) (param $n i32) (result i32) (local $sum i32)
            (loop $l
              MARK
              (local.set $sum (i32.add (local.get $sum) (i32.add (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
                                                                (i32.add (i32.load offset=8 (local.get $p)) (i32.load offset=12 (local.get $p))))))
              (local.set $sum (i32.add (local.get $sum) (i32.add (i32.add (i32.load offset=16 (local.get $p)) (i32.load offset=20 (local.get $p)))
                                                                (i32.add (i32.load offset=24 (local.get $p)) (i32.load offset=28 (local.get $p))))))
              (local.set $p (i32.add (local.get $p) (i32.const 32)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum)))
        """;

    /// <summary>Ways out of the middle of an iteration: a branch out, a division by zero, a return.</summary>
    private const string Exits = """
        (module
          (memory (export "memory") 2 4)
          (func (export "run") (param $stop i32) (param $zero i32) (result i32) (local $i i32)
            (block $out
              (loop $l
                MARK
                (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
                (br_if $out (i32.eq (local.get $i) (local.get $stop)))
                (i32.store offset=8192 (i32.shl (local.get $i) (i32.const 2)) (i32.div_u (i32.const 1000) (i32.sub (local.get $i) (local.get $zero))))
                (if (i32.eq (local.get $i) (i32.const 5000)) (then (return (i32.const -1))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
            (local.get $i)))
        """;

    /// <summary>Memory grows while the loop runs; it writes into the new pages.</summary>
    private const string Growing = """
        (module
          (memory (export "memory") 1 3)
          (func (export "run") (param $n i32) (param $unused i32) (result i32) (local $i i32)
            (loop $l
              MARK
              (if (i32.eq (i32.and (local.get $i) (i32.const 8191)) (i32.const 8191)) (then (drop (memory.grow (i32.const 1)))))
              (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (memory.size)))
        """;

    /// <summary>A call on every iteration: the callee charges fuel and touches memory too.</summary>
    private const string WithCalls = """
        (module
          (memory (export "memory") 2 4)
          (func $bump (param $a i32) (i32.store offset=4 (local.get $a) (i32.add (i32.load offset=4 (local.get $a)) (i32.const 1))))
          (func (export "run") (param $p i32) (param $n i32) (result i32)
            (loop $l
              MARK
              (i32.store (local.get $p) (local.get $n))
              (call $bump (local.get $p))
              (local.set $p (i32.add (local.get $p) (i32.const 8)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $p)))
        """;

    /// <summary>No way out: runs until fuel runs out (or it is interrupted).</summary>
    private const string Endless = """
        (module
          (memory (export "memory") 1)
          (func (export "run") (param $p i32) (param $unused i32) (result i32)
            (loop $l
              MARK
              (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
              (br $l))
            (i32.const 0)))
        """;

    public static TheoryData<string, string, int[]> Cases => new()
    {
        { "fill, in bounds", Fill, [0, MemoryBytes / 4] },
        { "fill, to the last word and one beyond", Fill, [MemoryBytes / 4 - 40, MemoryBytes / 4 + 1] },
        { "fill, starting out of bounds", Fill, [MemoryBytes / 4, MemoryBytes / 4 + 10] },
        { "three arrays, in bounds", ThreeArrays, [MemoryBytes - 4000, 1000] },
        { "three arrays, the middle one off the end", ThreeArrays, [MemoryBytes - 4002, 1000] },
        { "descending, stays above zero", Descending, [800, 100] },
        { "descending, crosses zero", Descending, [800, 101] },
        { "descending, wraps around 2^32", Descending, [400, 60] },
        { "strided forwards", Strided, [100, 37, 3000] },
        { "strided to the end", Strided, [100, 37, 3538] },
        { "strided one step beyond", Strided, [100, 37, 3539] },
        { "strided backwards past zero", Strided, [10000, -37, 300] },
        { "stride zero", Strided, [500, 0, 10000] },
        { "stride wraps around 2^32", Strided, [-64, 16, 100] },
        { "unrolled, in bounds", Unrolled, [64, 3000] },
        { "unrolled, off the end", Unrolled, [MemoryBytes - 32 * 50 + 4, 60] },
        { "unrolled, one iteration off the end", Unrolled, [MemoryBytes - 4, 1] },
        { "exits by a branch", Exits, [700, -1] },
        { "exits by a branch during the warm-up", Exits, [3, -1] },
        { "exits by a division by zero", Exits, [-1, 900] },
        { "exits by a return", Exits, [-1, -1] },
        { "exits by a bounds check of a checked access", Exits, [-1, 40000] },
        { "memory grows, in bounds", Growing, [40000, 0] },
        { "memory grows, up to its maximum and beyond", Growing, [49153, 0] },
        { "calls, in bounds", WithCalls, [64, 2000] },
        { "calls, off the end", WithCalls, [MemoryBytes - 80, 20] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheFastVersionBehavesLikeTheCheckedLoop(string name, string template, int[] arguments)
    {
        _ = name;
        string versioned = template.Replace("MARK", "(block)"), reference = template.Replace("MARK", "(loop)");
        foreach (long? fuel in new long?[] { null, long.MaxValue / 2, 200_000, 12_345 })
            Assert.Equal(Run(reference, versionedLoops: 0, arguments, fuel), Run(versioned, versionedLoops: 1, arguments, fuel));
    }

    [Fact]
    public void LoopsWithFewChecksToSaveWarmUpFirst()
    {
        Assert.Equal(0, WarmUpOfTheOnlyVersionedLoop(Unrolled));
        Assert.InRange(WarmUpOfTheOnlyVersionedLoop(Fill), 2, 16);
        Assert.InRange(WarmUpOfTheOnlyVersionedLoop(Endless), 2, 16);
    }

    [Fact]
    public void FuelRunsOutAtTheSamePointInAFastVersion()
    {
        string versioned = Endless.Replace("MARK", "(block)"), reference = Endless.Replace("MARK", "(loop)");
        foreach (long fuel in new long[] { 1, 11, 12, 13, 1000, 123_457, 5_000_001 })
        {
            var expected = Run(reference, versionedLoops: 0, [40, 0], fuel);
            Assert.Equal("OutOfFuel", expected.Ending);
            Assert.Equal(expected, Run(versioned, versionedLoops: 1, [40, 0], fuel));
        }
    }

    [Fact]
    public async Task InterruptStopsAFastVersion()
    {
        var module = TestModule.Compile(Endless.Replace("MARK", "(block)"));
        Assert.Single(module.Compiled.VersionedLoopWarmUps);
        using var instance = new Linker().Instantiate(module);
        var run = instance.GetFunction<Func<int, int, int>>("run");
        var memory = instance.GetMemory("memory")!;
        var task = Task.Run(() => Assert.Throws<TrapException>(() => run(0, 0)));
        while (memory.ReadInt32(0) == 0) Thread.Sleep(1);
        instance.Interrupt();
        var trap = await task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrapKind.Interrupted, trap.Kind);
    }

    /// <summary>The warm-up the compiler chose for the template's loop, which it must have versioned.</summary>
    private static int WarmUpOfTheOnlyVersionedLoop(string template) =>
        Assert.Single(TestModule.Compile(template.Replace("MARK", "(block)")).Compiled.VersionedLoopWarmUps);

    private sealed record Outcome(string Ending, long? FuelLeft, string MemoryHash);

    /// <summary>Compiles the module, checks that the compiler versioned <paramref name="versionedLoops"/> loops, runs it.</summary>
    private static Outcome Run(string wat, int versionedLoops, int[] arguments, long? fuel)
    {
        var module = TestModule.Compile(wat, new EngineOptions { ConsumeFuel = fuel is not null });
        Assert.Equal(versionedLoops, module.Compiled.VersionedLoopWarmUps.Length);
        using var instance = new Linker().Instantiate(module, new InstanceOptions { Fuel = fuel ?? 0 });
        string ending;
        try
        {
            ending = "returned " + instance.Call("run", [.. arguments.Select(Value.FromI32)]).AsI32();
        }
        catch (TrapException trap)
        {
            ending = trap.Kind.ToString();
        }
        var memory = instance.GetMemory("memory")!;
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(memory.GetSpan(0, checked((int)memory.Length))));
        return new Outcome(ending, fuel is null ? null : instance.Fuel, hash);
    }
}
