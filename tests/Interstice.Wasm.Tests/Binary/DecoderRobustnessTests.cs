using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Tests.Binary;

/// <summary>
/// Damaged versions of a real module: whatever the damage, the front end either accepts the module
/// or reports it malformed or invalid; no other exception may escape.
/// </summary>
public sealed class DecoderRobustnessTests
{
    /// <summary>A module using every section and most instruction families (SIMD included), with a name section.</summary>
    private const string Sample = """
        (module $sample
          (type $pair (func (param i32 i32) (result i32 i32)))
          (import "env" "log" (func $log (param i32)))
          (import "env" "table" (table $imported 1 funcref))
          (import "env" "base" (global $base i32))
          (memory $mem 1 4)
          (table $refs 4 externref)
          (global $counter (mut i64) (i64.const 0))
          (global $pi f64 (f64.const 3.14159))
          (global $lanes v128 (v128.const i32x4 1 2 3 4))
          (export "fib" (func $fib))
          (export "memory" (memory $mem))
          (start $init)
          (elem $active (table $imported) (global.get $base) func $fib)
          (elem $passive funcref (ref.func $swap) (ref.null func))
          (elem declare func $init)
          (data $greeting (i32.const 16) "hello, world")
          (data $passive_data "\00\01\02\03")
          (func $init
            (global.set $counter (i64.const 1))
            (call $log (i32.const 7)))
          (func $swap (type $pair) (local.get 1) (local.get 0))
          (func $fib (param $n i32) (result i32) (local $a i32) (local $b i32) (local $i i32)
            (local.set $b (i32.const 1))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $b (i32.add (local.get $a) (local.tee $a (local.get $b))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $a))
          (func $mix (param f32 f64 i64) (result f64)
            (if (result f64) (f32.gt (local.get 0) (f32.const 0))
              (then (f64.add (local.get 1) (f64.convert_i64_s (local.get 2))))
              (else (f64.promote_f32 (f32.sqrt (local.get 0))))))
          (func $memory_ops (param $p i32) (result i32)
            (i32.store offset=4 align=2 (local.get $p) (i32.load8_u (local.get $p)))
            (i64.store (local.get $p) (i64.extend_i32_u (i32.trunc_sat_f32_s (f32.const 1.5))))
            (memory.fill (i32.const 0) (i32.const 0) (i32.const 8))
            (memory.copy (i32.const 8) (i32.const 0) (i32.const 8))
            (memory.init $passive_data (i32.const 0) (i32.const 0) (i32.const 4))
            (data.drop $passive_data)
            (drop (memory.grow (i32.const 1)))
            (memory.size))
          (func $table_ops (param $r externref) (result i32)
            (table.set $refs (i32.const 0) (local.get $r))
            (drop (table.grow $refs (ref.null extern) (i32.const 2)))
            (table.fill $refs (i32.const 0) (local.get $r) (i32.const 1))
            (table.init $imported $passive (i32.const 0) (i32.const 0) (i32.const 1))
            (elem.drop $passive)
            (drop (ref.is_null (table.get $refs (i32.const 1))))
            (drop (ref.func $init))
            (select (table.size $refs) (i32.const 0) (i32.const 1)))
          (func $branches (param $x i32) (result i32)
            (block $b2 (result i32)
              (block $b1 (result i32)
                (block $b0 (result i32)
                  (br_table $b0 $b1 $b2 (i32.const 10) (local.get $x)))
                (drop) (i32.const 20))
              (call_indirect $imported (param i32) (result i32) (i32.const 0))))
          (func $simd (param $p i32) (param $v v128) (result v128)
            (v128.store offset=16 (local.get $p)
              (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get $v) (global.get $lanes)))
            (v128.load32_lane 2 (local.get $p)
              (i32x4.replace_lane 1
                (f32x4.min (local.get $v) (v128.load8x8_s align=4 (local.get $p)))
                (i32x4.extract_lane 3 (i16x8.narrow_i32x4_u (local.get $v) (i32x4.splat (local.get $p))))))))
        """;

    private static readonly Lazy<byte[]> SampleBytes = new(() => Wat.ToWasm(Sample, "--debug-names"));

    [Fact]
    public void TheSampleIsAcceptedWithItsNames()
    {
        var module = ModuleDecoder.Decode(SampleBytes.Value);
        ModuleValidator.Validate(module);
        Assert.Equal("sample", module.Names.ModuleName);
        Assert.Equal("fib", module.Names.GetFunctionName(3));
    }

    /// <summary>How the front end took a damaged module.</summary>
    private enum Outcome
    {
        Accepted,
        Malformed,
        Invalid,
    }

    /// <summary>
    /// Decodes then validates. The decoder may only throw malformed, the validator
    /// only invalid; anything else fails the test, naming the damage.
    /// </summary>
    private static Outcome Classify(byte[] bytes, string damage)
    {
        ModuleDefinition module;
        try
        {
            module = ModuleDecoder.Decode(bytes);
        }
        catch (MalformedModuleException)
        {
            return Outcome.Malformed;
        }
        catch (Exception e)
        {
            Assert.Fail($"{damage}: the decoder threw {e}\nmodule: {Convert.ToHexString(bytes)}");
            throw;
        }
        try
        {
            ModuleValidator.Validate(module);
            return Outcome.Accepted;
        }
        catch (InvalidModuleException)
        {
            return Outcome.Invalid;
        }
        catch (Exception e)
        {
            Assert.Fail($"{damage}: the validator threw {e}\nmodule: {Convert.ToHexString(bytes)}");
            throw;
        }
    }

    [Fact]
    public void EveryTruncationIsMalformedOrAWholeModule()
    {
        var bytes = SampleBytes.Value;
        var sectionEnds = SectionEnds(bytes);
        for (int length = 0; length < bytes.Length; length++)
        {
            var outcome = Classify(bytes.AsSpan(0, length).ToArray(), $"truncated to {length} bytes");
            // Only a cut exactly between two sections can leave a well-formed module.
            if (!sectionEnds.Contains(length)) Assert.Equal(Outcome.Malformed, outcome);
        }
    }

    [Fact]
    public void RandomByteFlipsAreRejectedCleanly()
    {
        var bytes = SampleBytes.Value;
        var random = new Random(20240611);
        var counts = new Dictionary<Outcome, int>();
        for (int round = 0; round < 4000; round++)
        {
            var damaged = (byte[])bytes.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++)
            {
                int position = Bytes.Header.Length + random.Next(damaged.Length - Bytes.Header.Length);
                damaged[position] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(damaged[position] ^ (1 << random.Next(8)));
            }
            var outcome = Classify(damaged, $"round {round}");
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }
        // The damage must actually reach both the decoder's and the validator's checks.
        Assert.True(counts.GetValueOrDefault(Outcome.Malformed) > 100 && counts.GetValueOrDefault(Outcome.Invalid) > 100,
            string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
    }

    [Fact]
    public void OverlongLebsAnywhereAreRejectedCleanly()
    {
        // Replace each byte in turn by a six-byte LEB128 (too long for any 32-bit field).
        var bytes = SampleBytes.Value;
        for (int position = Bytes.Header.Length; position < bytes.Length; position++)
        {
            byte[] damaged = [.. bytes.AsSpan(0, position), 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, .. bytes.AsSpan(position + 1)];
            Classify(damaged, $"overlong LEB128 at {position}");
        }
    }

    /// <summary>The offsets where a section of the module ends (the header counts as one).</summary>
    private static HashSet<int> SectionEnds(byte[] bytes)
    {
        var ends = new HashSet<int> { Bytes.Header.Length };
        int position = Bytes.Header.Length;
        while (position < bytes.Length)
        {
            var reader = new WasmReader(bytes, position + 1, bytes.Length, "test");
            int size = (int)reader.ReadVarUInt32();
            position = reader.Position + size;
            ends.Add(position);
        }
        return ends;
    }
}
