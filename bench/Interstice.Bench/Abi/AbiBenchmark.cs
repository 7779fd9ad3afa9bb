using System.Diagnostics;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Bench.Abi;

/// <summary>
/// Times the module contract's hot paths on the host side: checking an encoded row against its
/// type (the compiled check is what the node does for every insert and argument buffer; the
/// interpreter it is tested against is timed beside it), decoding it into values, and
/// assembling a schema from custom-section records (what loading a module costs). Reports
/// operations per second, MB/s and bytes allocated per operation.
/// </summary>
internal static class AbiBenchmark
{
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(2);

    public static int Run()
    {
        string root = FindRoot();
        var schema = SchemaJson.Parse(File.ReadAllText(Path.Combine(root, "abi", "vectors", "schema.json")));
        byte[] records = ReadHex(Path.Combine(root, "abi", "vectors", "schema-records.hex"));
        var greetings = new NamedType("Greetings");
        var row = ValueJson.Parse(
            """{"id": 42, "name": "Ann Example", "mood": "Grumpy", "message": "Hello there, how are you today?", "tags": [{"Plain": ["x"]}, {"Scored": {"label": "kind", "score": 7}}, "None"]}""",
            greetings, schema.TypeTable);
        byte[] encoded = ValueCodec.Encode(greetings, row, schema.TypeTable);
        Console.WriteLine($"row: Greetings, {encoded.Length} bytes; schema: {records.Length} bytes of records");

        var validator = schema.Validators.For(greetings);
        Measure("validate row", encoded.Length, () => validator.Validate(encoded));
        Measure("validate row, interpreter", encoded.Length, () => ValueCodec.Validate(greetings, encoded, schema.TypeTable));
        Measure("decode row", encoded.Length, () => ValueCodec.Decode(greetings, encoded, schema.TypeTable));
        Measure("encode row", encoded.Length, () => ValueCodec.Encode(greetings, row, schema.TypeTable));
        Measure("assemble schema", records.Length, () => SchemaRecords.Assemble(records));
        MeasureHostile();
        return 0;
    }

    /// <summary>
    /// What refusing a hostile input costs under the parts budget (docs/abi.md section 6): a
    /// <c>vec&lt;Carrier&gt;</c> of 1,000 elements, <c>Carrier { a: u8, z: Big }</c> with
    /// <c>Big</c> a struct of 1,000 units, is 1,002 bytes that would decode to about 10^6 values;
    /// decoding stops at the budget of 9,040 parts.
    /// </summary>
    private static void MeasureHostile()
    {
        var units = new Field[1000];
        for (int i = 0; i < units.Length; i++) units[i] = new Field($"u{i}", new TupleType([]));
        var types = new TypeTable([new StructDefinition("Carrier", [new Field("a", AbiType.U8), new Field("z", new NamedType("Big"))]), new StructDefinition("Big", units)]);
        var type = new VecType(new NamedType("Carrier"));
        byte[] input = [0xe8, 0x07, .. new byte[1000]];
        var validator = new ValueValidators(types).For(type);
        Console.WriteLine($"hostile: vec<Carrier>, {input.Length} bytes, refused at the budget of {ValueCodec.PartsBudget(input.Length)} parts");
        Measure("decode hostile", input.Length, () => Refused(() => ValueCodec.Decode(type, input, types)));
        Measure("check hostile", input.Length, () => Refused(() => validator.Validate(input)));
    }

    private static void Refused(Action operation)
    {
        try
        {
            operation();
        }
        catch (AbiDecodeException)
        {
            return;
        }
        throw new InvalidOperationException("the hostile input was accepted");
    }

    private static void Measure(string name, int bytesPerOperation, Action operation)
    {
        for (int i = 0; i < 10_000; i++) operation();
        long operations = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < MeasureFor)
        {
            for (int i = 0; i < 1000; i++) operation();
            operations += 1000;
        }
        watch.Stop();
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Console.WriteLine(
            $"{name,-16} {operations / watch.Elapsed.TotalSeconds,12:N0} ops/s ({operations / cpuSeconds,12:N0} per CPU second)  " +
            $"{operations * (double)bytesPerOperation / 1e6 / watch.Elapsed.TotalSeconds,8:F1} MB/s  {allocated / (double)operations,8:F0} B allocated/op");
    }

    private static byte[] ReadHex(string path) => Convert.FromHexString(string.Concat(
        File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')).SelectMany(l => l.Where(c => !char.IsWhiteSpace(c)))));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("the repository root (with Interstice.slnx) is not above the benchmark");
    }
}
