using System.Runtime.Intrinsics;
using Interstice.Cli.Commands.Wasm.Spec;
using Interstice.Wasm;

namespace Interstice.Cli.Tests.Wasm.Spec;

/// <summary>Script values as engine values, and results against expectations: v128 lanes in their shape, NaN patterns per lane.</summary>
public sealed class SpecValuesTests
{
    private static SpecValue Vector(SpecLaneType shape, params SpecLane[] lanes) =>
        new(SpecValueType.V128, new SpecLane(SpecValueKind.Bits, 0), shape, lanes);

    private static SpecLane Bits(ulong bits) => new(SpecValueKind.Bits, bits);

    private static readonly SpecLane Canonical = new(SpecValueKind.CanonicalNan, 0), Arithmetic = new(SpecValueKind.ArithmeticNan, 0);

    [Fact]
    public void VectorArgumentsAreTheirLanesInOrder()
    {
        var value = new SpecValues().ToValue(Vector(SpecLaneType.I16, Bits(1), Bits(0xFFFF), Bits(3), Bits(4), Bits(5), Bits(6), Bits(7), Bits(0x8000)));
        Assert.Equal(Vector128.Create((short)1, -1, 3, 4, 5, 6, 7, short.MinValue).AsByte(), value.AsV128());
        var doubles = new SpecValues().ToValue(Vector(SpecLaneType.F64, Bits(0x7FF4000000000000), Bits(0x3FF0000000000000)));
        Assert.Equal(Vector128.Create(0x7FF4000000000000UL, 0x3FF0000000000000UL).AsByte(), doubles.AsV128());
    }

    [Fact]
    public void ResultsMatchLaneByLaneWithNaNPatterns()
    {
        var expected = Vector(SpecLaneType.F32, Canonical, Bits(0x3F800000), Arithmetic, Bits(0));
        var actual = Value.FromV128(Vector128.Create(0xFFC00000u, 0x3F800000u, 0x7FE00001u, 0u).AsByte());
        Assert.Null(SpecValues.Mismatch(expected, actual));

        // A quiet NaN with a payload is arithmetic, not canonical.
        var notCanonical = Value.FromV128(Vector128.Create(0x7FC00001u, 0x3F800000u, 0x7FC00000u, 0u).AsByte());
        Assert.Equal("expected v128 f32x4 [nan:canonical 1 nan:arithmetic 0], got v128 f32x4 [nan:0x400001 1 nan:0x400000 0]",
            SpecValues.Mismatch(expected, notCanonical));
        // A signalling NaN is not arithmetic.
        Assert.NotNull(SpecValues.Mismatch(expected, Value.FromV128(Vector128.Create(0x7FC00000u, 0x3F800000u, 0x7FA00000u, 0u).AsByte())));

        var bytes = Vector(SpecLaneType.I8, [.. Enumerable.Range(0, 16).Select(i => Bits((ulong)(i * 17)))]);
        Assert.Null(SpecValues.Mismatch(bytes, Value.FromV128(Vector128.Create((byte)0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255))));
        Assert.Contains("expected a v128, got i32:1", SpecValues.Mismatch(bytes, Value.FromI32(1)));
        // A v128 given by its type alone matches any vector.
        Assert.Null(SpecValues.Mismatch(new SpecValue(SpecValueType.V128, new SpecLane(SpecValueKind.Unspecified, 0)), Value.FromV128(Vector128<byte>.Zero)));
    }
}
