using Interstice.Wasm.Binary;
using Interstice.Wasm.Tests.TestSupport;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Tests.Binary;

/// <summary>
/// Damaged versions of a real module: whatever the damage, the front end either accepts the module
/// or reports it malformed, invalid or unsupported; no other exception may escape.
/// </summary>
public sealed class DecoderRobustnessTests
{
    /// <summary>A module using every section and most instruction families, with a name section.</summary>
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
              (call_indirect $imported (param i32) (result i32) (i32.const 0)))))
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

    [Fact]
    public void EveryTruncationIsMalformed()
    {
        var bytes = SampleBytes.Value;
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            try
            {
                ModuleValidator.Validate(ModuleDecoder.Decode(prefix));
                // A cut exactly between two sections can leave a well-formed module (e.g. before the name section).
            }
            catch (MalformedModuleException)
            {
            }
            catch (InvalidModuleException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"truncated to {length} bytes: {e}");
            }
        }
        // Cut inside the code section, the module is malformed.
        Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(bytes.AsSpan(0, bytes.Length / 2).ToArray()));
    }

    [Fact]
    public void RandomByteFlipsAreRejectedCleanly()
    {
        var bytes = SampleBytes.Value;
        var random = new Random(20240611);
        int accepted = 0, malformed = 0, invalid = 0, unsupported = 0;
        for (int round = 0; round < 4000; round++)
        {
            var damaged = (byte[])bytes.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++)
            {
                int position = Interstice.Wasm.Tests.TestSupport.Bytes.Header.Length + random.Next(damaged.Length - 8);
                damaged[position] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(damaged[position] ^ (1 << random.Next(8)));
            }
            try
            {
                ModuleValidator.Validate(ModuleDecoder.Decode(damaged));
                accepted++;
            }
            catch (MalformedModuleException)
            {
                malformed++;
            }
            catch (InvalidModuleException)
            {
                invalid++;
            }
            catch (UnsupportedFeatureException)
            {
                unsupported++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e}\nmodule: {Convert.ToHexString(damaged)}");
            }
        }
        // The damage must actually exercise both rejection paths.
        Assert.True(malformed > 100 && invalid > 100, $"accepted {accepted}, malformed {malformed}, invalid {invalid}, unsupported {unsupported}");
    }

    [Fact]
    public void OverlongLebsAnywhereAreRejectedCleanly()
    {
        // Replace each byte in turn by a six-byte LEB128 (too long for any 32-bit field).
        var bytes = SampleBytes.Value;
        for (int position = 8; position < bytes.Length; position++)
        {
            byte[] damaged = [.. bytes.AsSpan(0, position), 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, .. bytes.AsSpan(position + 1)];
            try
            {
                ModuleValidator.Validate(ModuleDecoder.Decode(damaged));
            }
            catch (Exception e) when (e is MalformedModuleException or InvalidModuleException or UnsupportedFeatureException)
            {
            }
        }
    }
}
