using System.Buffers;
using Interstice.Abi.Encoding;
using Interstice.Abi.Types;
using Interstice.Bench.Support;

namespace Interstice.Bench.Abi;

/// <summary>
/// The row check a node does for every replayed or written row, on 10^6 rows (10^5 with
/// <c>quick</c>) of the bench table's shape (u64 id, u32 group, string key, 16-byte payload):
/// the interpreter (<see cref="ValueCodec.Validate"/>, which resolves the row type by name on
/// every row) against a <see cref="ValueValidator"/> compiled once. Rounds alternate between the
/// two; reports the median ns per row (wall and CPU), bytes allocated per row, and the ratio.
/// </summary>
internal static class RowValidationBenchmark
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("quick");
        int count = quick ? 100_000 : 1_000_000;
        int rounds = quick ? 5 : 9;
        var rowType = new NamedType("Rows");
        var types = new TypeTable([new StructDefinition("Rows", [
            new Field("id", AbiType.U64), new Field("group", AbiType.U32), new Field("key", AbiType.String), new Field("payload", AbiType.Bytes)])]);
        var (rows, offsets) = Encode(count);
        var validator = new ValueValidators(types).For(rowType);
        Console.WriteLine($"row check on {count:N0} rows of the bench table's shape (struct Rows {{ id: u64, group: u32, key: string, payload: bytes }}), " +
            $"{rows.Length / (double)count:F1} bytes a row; median of {rounds} rounds, alternating");

        var interpreted = new Timing.Runs(new double[rounds], new double[rounds]);
        var compiled = new Timing.Runs(new double[rounds], new double[rounds]);
        long interpretedAllocated = 0, compiledAllocated = 0;
        // Warm up long enough for the JIT's tier-1 code to replace the first, unoptimised one.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1000)
        {
            InterpretAll(rows, offsets, rowType, types);
            CheckAll(rows, offsets, validator);
        }
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Timing.MeasureOnce(() => InterpretAll(rows, offsets, rowType, types), interpreted, round);
            interpretedAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            Timing.MeasureOnce(() => CheckAll(rows, offsets, validator), compiled, round);
            compiledAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        double perRow = 1e6 / count;
        var table = new TextTable("row check", "ns/row", "CPU ns/row", "B allocated/row", "ms for all rows");
        table.AddRow("interpreter (ValueCodec.Validate)", $"{interpreted.Median(Clock.Wall) * perRow:F1}", $"{interpreted.Median(Clock.Cpu) * perRow:F1}",
            $"{interpretedAllocated / (double)rounds / count:F1}", $"{interpreted.Median(Clock.Wall):F1}");
        table.AddRow("compiled (ValueValidator)", $"{compiled.Median(Clock.Wall) * perRow:F1}", $"{compiled.Median(Clock.Cpu) * perRow:F1}",
            $"{compiledAllocated / (double)rounds / count:F1}", $"{compiled.Median(Clock.Wall):F1}");
        table.WriteTo(Console.Out);
        Console.WriteLine($"interpreter / compiled: {interpreted.Median(Clock.Wall) / compiled.Median(Clock.Wall):F2}x wall, {interpreted.Median(Clock.Cpu) / compiled.Median(Clock.Cpu):F2}x CPU");
        return 0;
    }

    /// <summary>The rows one after the other in one buffer, as a log holds them, with each row's start (and the end) in <c>offsets</c>.</summary>
    private static (byte[] Rows, int[] Offsets) Encode(int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 40);
        var offsets = new int[count + 1];
        var payload = new byte[BenchRows.PayloadLength];
        var writer = new ValueWriter(buffer);
        for (int id = 0; id < count; id++)
        {
            offsets[id] = buffer.WrittenCount;
            BenchRows.WriteRow(ref writer, id, payload);
        }
        offsets[count] = buffer.WrittenCount;
        return (buffer.WrittenSpan.ToArray(), offsets);
    }

    private static void InterpretAll(byte[] rows, int[] offsets, AbiType rowType, TypeTable types)
    {
        for (int i = 0; i + 1 < offsets.Length; i++) ValueCodec.Validate(rowType, rows.AsSpan(offsets[i], offsets[i + 1] - offsets[i]), types);
    }

    private static void CheckAll(byte[] rows, int[] offsets, ValueValidator validator)
    {
        for (int i = 0; i + 1 < offsets.Length; i++) validator.Validate(rows.AsSpan(offsets[i], offsets[i + 1] - offsets[i]));
    }
}
