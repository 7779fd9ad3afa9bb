using System.Globalization;
using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>A kernel compiled by our engine, with or without fuel metering, instantiated and ready to run in-process.</summary>
internal sealed class EngineKernel : IDisposable
{
    private readonly Instance _instance;
    private readonly Function _run;
    private readonly Value[] _arguments;
    private readonly Value[] _results = new Value[1];

    public EngineKernel(byte[] wasm, string path, int n, bool consumeFuel)
    {
        var engine = new Engine(new EngineOptions { ConsumeFuel = consumeFuel });
        _instance = new Linker().Instantiate(engine.Compile(wasm), new InstanceOptions { Fuel = consumeFuel ? long.MaxValue : 0 });
        _run = _instance.GetFunction("run") ?? throw new BenchmarkException($"{path} exports no function 'run'");
        _arguments = [Value.FromI32(n)];
    }

    /// <summary>The result of the last run.</summary>
    public Value Result => _results[0];

    public void Run() => _run.Invoke(_arguments, _results);

    public void Dispose() => _instance.Dispose();

    /// <summary>Whether our result equals the one Node.js printed (numbers compared by value, as JavaScript prints them).</summary>
    public static bool SameResult(Value ours, string node) => ours.Type switch
    {
        ValueType.I32 => int.TryParse(node, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i == ours.AsI32(),
        ValueType.F64 => double.TryParse(node, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(ours.AsF64()),
        ValueType.F32 => double.TryParse(node, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && (float)f == ours.AsF32(),
        ValueType.I64 => long.TryParse(node, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) && l == ours.AsI64(),
        _ => false,
    };

    /// <summary>A result in the form JavaScript would print it, for messages.</summary>
    public static string Format(Value value) => value.Type switch
    {
        ValueType.I32 => value.AsI32().ToString(CultureInfo.InvariantCulture),
        ValueType.I64 => value.AsI64().ToString(CultureInfo.InvariantCulture),
        ValueType.F32 => value.AsF32().ToString("R", CultureInfo.InvariantCulture),
        ValueType.F64 => value.AsF64().ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
