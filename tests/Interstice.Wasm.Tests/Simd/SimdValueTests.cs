using System.Runtime.Intrinsics;
using Interstice.Wasm.Tests.TestSupport;
using V = System.Runtime.Intrinsics.Vector128<byte>;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Wasm.Tests.Simd;

/// <summary><c>v128</c> values crossing between host and module: <see cref="Value"/>, host functions, globals, multiple results, blocks and select.</summary>
public sealed class SimdValueTests
{
    private static readonly V OneTwoThreeFour = Vector128.Create(1, 2, 3, 4).AsByte();

    [Fact]
    public void AValueHoldsAllSixteenBytes()
    {
        var vector = Vector128.Create(0x0706050403020100UL, 0x0F0E0D0C0B0A0908UL).AsByte();
        var value = Value.FromV128(vector);
        Assert.Equal(ValueType.V128, value.Type);
        Assert.Equal(vector, value.AsV128());
        Assert.Equal(0x0706050403020100UL, value.Bits);
        Assert.Equal(value, Value.FromV128(vector));
        Assert.NotEqual(value, Value.FromV128(vector.WithElement(15, (byte)0)));
        Assert.Equal("v128:i32x4:0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c", value.ToString());
        Assert.Equal(V.Zero, Value.Default(ValueType.V128).AsV128());
        Assert.Throws<InvalidOperationException>(() => value.AsI64());
        Assert.Throws<InvalidOperationException>(() => Value.FromI32(1).AsV128());
    }

    [Fact]
    public void ExportsTakeAndReturnVectorsThroughTypedAndUntypedCalls()
    {
        using var instance = TestModule.Instantiate("""
            (module (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1))))
            """);
        var typed = instance.GetFunction<Func<V, V, V>>("add");
        Assert.Equal(Vector128.Create(2, 4, 6, 8).AsByte(), typed(OneTwoThreeFour, OneTwoThreeFour));
        var untyped = instance.Call("add", Value.FromV128(OneTwoThreeFour), Value.FromV128(OneTwoThreeFour));
        Assert.Equal(Vector128.Create(2, 4, 6, 8).AsByte(), untyped.AsV128());
        Assert.Throws<ArgumentException>(() => instance.GetFunction("add")!.Invoke(Value.FromI64(1), Value.FromV128(V.Zero)));
    }

    [Fact]
    public void HostFunctionsTakeAndReturnVectorsThroughCallbacksAndDelegates()
    {
        var linker = new Linker()
            .DefineFunction("env", "double", new FunctionType([ValueType.V128, ValueType.I32], [ValueType.V128, ValueType.I32]), (caller, arguments, results) =>
            {
                var vector = arguments[0].AsV128().AsInt32();
                results[0] = Value.FromV128((vector + vector).AsByte());
                results[1] = Value.FromI32(arguments[1].AsI32() + 1);
            })
            .DefineFunction("env", "not", (V vector) => ~vector);
        using var instance = TestModule.Instantiate("""
            (module
              (import "env" "double" (func $double (param v128 i32) (result v128 i32)))
              (import "env" "not" (func $not (param v128) (result v128)))
              (func (export "run") (param v128) (result v128 i32)
                (call $double (call $not (call $not (local.get 0))) (i32.const 41))))
            """, linker: linker);
        var results = instance.GetFunction("run")!.Invoke(Value.FromV128(OneTwoThreeFour));
        Assert.Equal(Vector128.Create(2, 4, 6, 8).AsByte(), results[0].AsV128());
        Assert.Equal(42, results[1].AsI32());
    }

    [Fact]
    public void ACallbackReturningTheWrongTypeForAVectorIsAnError()
    {
        var linker = new Linker().DefineFunction("env", "bad", new FunctionType([], [ValueType.V128]), (caller, arguments, results) => results[0] = Value.FromI64(1));
        using var instance = TestModule.Instantiate("""
            (module (import "env" "bad" (func $bad (result v128))) (func (export "run") (result v128) (call $bad)))
            """, linker: linker);
        var e = Assert.Throws<InvalidOperationException>(() => instance.GetFunction<Func<V>>("run")());
        Assert.Contains("expected v128", e.Message);
    }

    [Fact]
    public void VectorGlobalsAreSharedWithTheHostWhetherImportedExportedOrPrivate()
    {
        var imported = new Global(new GlobalType(ValueType.V128, true), Value.FromV128(OneTwoThreeFour));
        var linker = new Linker().Define("env", "g", imported);
        using var instance = TestModule.Instantiate("""
            (module
              (import "env" "g" (global $imported (mut v128)))
              (global $exported (export "exported") (mut v128) (v128.const i64x2 -1 7))
              (global $private (mut v128) (v128.const i32x4 9 9 9 9))
              (global $constant (export "constant") v128 (v128.const f32x4 1.5 -0 nan:0x200000 inf))
              (func (export "rotate")
                (local $t v128)
                (local.set $t (global.get $imported))
                (global.set $imported (global.get $exported))
                (global.set $exported (global.get $private))
                (global.set $private (local.get $t)))
              (func (export "private") (result v128) (global.get $private)))
            """, linker: linker);
        var exported = instance.GetGlobal("exported")!;
        Assert.Equal(Vector128.Create(-1L, 7L).AsByte(), exported.Value.AsV128());
        // f32 lanes keep their exact bits, signalling NaN included.
        Assert.Equal(Vector128.Create(0x3FC00000u, 0x80000000u, 0x7FA00000u, 0x7F800000u).AsByte(), instance.GetGlobal("constant")!.Value.AsV128());

        instance.GetFunction<Action>("rotate")();
        Assert.Equal(Vector128.Create(-1L, 7L).AsByte(), imported.Value.AsV128());
        Assert.Equal(Vector128.Create(9, 9, 9, 9).AsByte(), exported.Value.AsV128());
        Assert.Equal(OneTwoThreeFour, instance.GetFunction<Func<V>>("private")());

        exported.Value = Value.FromV128(V.AllBitsSet);
        instance.GetFunction<Action>("rotate")();
        Assert.Equal(V.AllBitsSet, imported.Value.AsV128());
        Assert.Throws<ArgumentException>(() => exported.Value = Value.FromI32(1));
    }

    [Fact]
    public void AVectorGlobalImportNeedsAVectorGlobal()
    {
        var linker = new Linker().Define("env", "g", new Global(new GlobalType(ValueType.I64, false), Value.FromI64(1)));
        var e = Assert.Throws<LinkException>(() => TestModule.Instantiate("""(module (import "env" "g" (global v128)))""", linker: linker));
        Assert.Contains("v128", e.Message);
    }

    [Fact]
    public void VectorsFlowThroughLocalsBlocksBranchesAndSelect()
    {
        using var instance = TestModule.Instantiate("""
            (module
              (func (export "pick") (param $a v128) (param $b v128) (param $which i32) (result v128 v128)
                (local $zero v128)
                (block $out (result v128 v128)
                  (br_if $out (local.get $zero) (select (local.get $a) (local.get $b) (local.get $which)) (local.get $which))
                  (drop) (drop)
                  (local.get $b)
                  (select (result v128) (local.get $a) (local.get $zero) (i32.const 1))))
              (func (export "loop") (param $v v128) (param $n i32) (result v128)
                (local.get $v)
                (loop $again (param v128) (result v128)
                  (i32x4.add (v128.const i32x4 1 1 1 1))
                  (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $again)
                  )))
            """);
        var pick = instance.GetFunction("pick")!;
        var taken = pick.Invoke(Value.FromV128(OneTwoThreeFour), Value.FromV128(V.AllBitsSet), Value.FromI32(1));
        Assert.Equal(V.Zero, taken[0].AsV128());
        Assert.Equal(OneTwoThreeFour, taken[1].AsV128());
        var fallen = pick.Invoke(Value.FromV128(OneTwoThreeFour), Value.FromV128(V.AllBitsSet), Value.FromI32(0));
        Assert.Equal(V.AllBitsSet, fallen[0].AsV128());
        Assert.Equal(OneTwoThreeFour, fallen[1].AsV128());

        var loop = instance.GetFunction<Func<V, int, V>>("loop");
        Assert.Equal(Vector128.Create(11, 12, 13, 14).AsByte(), loop(OneTwoThreeFour, 10));
    }
}
