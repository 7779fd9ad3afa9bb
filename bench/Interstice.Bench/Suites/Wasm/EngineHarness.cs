using System.Globalization;
using Interstice.Bench.Support;
using Interstice.Wasm;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Bench.Suites.Wasm;

/// <summary>
/// Times a kernel in our engine, in-process, with the same method as the Node.js harness: once
/// compiled without fuel metering and once with it. The two variants run alternately (warm-up
/// runs of both, then timed runs taking turns), so that a change in the machine's load affects
/// both alike and the fuel overhead is measured fairly.
/// </summary>
internal static class EngineHarness
{
    /// <summary>The result of the last run and the timed runs of one variant.</summary>
    public sealed record Measurement(Value Result, Timing.Runs Runs);

    public static (Measurement Plain, Measurement Fueled) Run(string wasmPath, int n, int warmup, int runs)
    {
        byte[] wasm = File.ReadAllBytes(wasmPath);
        using var plain = new Variant(wasm, wasmPath, consumeFuel: false, n);
        using var fueled = new Variant(wasm, wasmPath, consumeFuel: true, n);
        var plainRuns = new Timing.Runs(new double[runs], new double[runs]);
        var fueledRuns = new Timing.Runs(new double[runs], new double[runs]);
        for (int i = 0; i < warmup; i++)
        {
            plain.Call();
            fueled.Call();
        }
        for (int i = 0; i < runs; i++)
        {
            Timing.MeasureOnce(plain.Call, plainRuns, i);
            Timing.MeasureOnce(fueled.Call, fueledRuns, i);
        }
        return (new Measurement(plain.Result, plainRuns), new Measurement(fueled.Result, fueledRuns));
    }

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

    /// <summary>The kernel compiled by an engine with or without fuel metering, instantiated, ready to call.</summary>
    private sealed class Variant : IDisposable
    {
        private readonly Instance _instance;
        private readonly Function _run;
        private readonly Value[] _arguments;
        private readonly Value[] _results = new Value[1];

        public Variant(byte[] wasm, string path, bool consumeFuel, int n)
        {
            var engine = new Engine(new EngineOptions { ConsumeFuel = consumeFuel });
            _instance = new Linker().Instantiate(engine.Compile(wasm), new InstanceOptions { Fuel = consumeFuel ? long.MaxValue : 0 });
            _run = _instance.GetFunction("run") ?? throw new BenchmarkException($"{path} exports no function 'run'");
            _arguments = [Value.FromI32(n)];
        }

        public Value Result => _results[0];

        public void Call() => _run.Invoke(_arguments, _results);

        public void Dispose() => _instance.Dispose();
    }
}
