using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Splats, lane reads and writes, shuffles. Lane indices are constants in generated code (the
/// validator has checked them), so each lane access inlines to a single extract or insert.
/// </summary>
internal static class SimdLanes
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static V I8x16Splat(int value) => Vector128.Create((byte)value);
    [MethodImpl(Inline)] public static V I16x8Splat(int value) => Vector128.Create((short)value).AsByte();
    [MethodImpl(Inline)] public static V I32x4Splat(int value) => Vector128.Create(value).AsByte();
    [MethodImpl(Inline)] public static V I64x2Splat(long value) => Vector128.Create(value).AsByte();
    [MethodImpl(Inline)] public static V F32x4Splat(float value) => Vector128.Create(value).AsByte();
    [MethodImpl(Inline)] public static V F64x2Splat(double value) => Vector128.Create(value).AsByte();

    [MethodImpl(Inline)] public static int I8x16ExtractLaneS(V v, int lane) => v.AsSByte().GetElement(lane);
    [MethodImpl(Inline)] public static int I8x16ExtractLaneU(V v, int lane) => v.GetElement(lane);
    [MethodImpl(Inline)] public static int I16x8ExtractLaneS(V v, int lane) => v.AsInt16().GetElement(lane);
    [MethodImpl(Inline)] public static int I16x8ExtractLaneU(V v, int lane) => v.AsUInt16().GetElement(lane);
    [MethodImpl(Inline)] public static int I32x4ExtractLane(V v, int lane) => v.AsInt32().GetElement(lane);
    [MethodImpl(Inline)] public static long I64x2ExtractLane(V v, int lane) => v.AsInt64().GetElement(lane);
    [MethodImpl(Inline)] public static float F32x4ExtractLane(V v, int lane) => v.AsSingle().GetElement(lane);
    [MethodImpl(Inline)] public static double F64x2ExtractLane(V v, int lane) => v.AsDouble().GetElement(lane);

    [MethodImpl(Inline)] public static V I8x16ReplaceLane(V v, int value, int lane) => v.WithElement(lane, (byte)value);
    [MethodImpl(Inline)] public static V I16x8ReplaceLane(V v, int value, int lane) => v.AsInt16().WithElement(lane, (short)value).AsByte();
    [MethodImpl(Inline)] public static V I32x4ReplaceLane(V v, int value, int lane) => v.AsInt32().WithElement(lane, value).AsByte();
    [MethodImpl(Inline)] public static V I64x2ReplaceLane(V v, long value, int lane) => v.AsInt64().WithElement(lane, value).AsByte();
    [MethodImpl(Inline)] public static V F32x4ReplaceLane(V v, float value, int lane) => v.AsSingle().WithElement(lane, value).AsByte();
    [MethodImpl(Inline)] public static V F64x2ReplaceLane(V v, double value, int lane) => v.AsDouble().WithElement(lane, value).AsByte();

    /// <summary>
    /// Lane i of the result is lane <c>indices[i]</c> of <paramref name="a"/>, or 0 when that index
    /// is 16 or more. <c>pshufb</c> only zeroes lanes whose index has its top bit set, so indices
    /// are first pushed there with a saturating add (16 + 0x70 = 0x80; 15 + 0x70 keeps its low
    /// bits). The portable <see cref="Vector128.Shuffle(Vector128{byte}, Vector128{byte})"/> has
    /// the same zeroing rule.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16Swizzle(V a, V indices) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(a, Sse2.AddSaturate(indices, Vector128.Create((byte)0x70))) : Vector128.Shuffle(a, indices);

    /// <summary>
    /// <c>i8x16.shuffle</c>, given its 16 lane indices (0 to 31) split at compile time into
    /// indices into <paramref name="a"/> and into <paramref name="b"/>, with 0x80 (which both
    /// <c>pshufb</c> and the portable shuffle turn into 0) in the lanes taken from the other.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16Shuffle(V a, V b, V fromA, V fromB) =>
        Ssse3.IsSupported
            ? Ssse3.Shuffle(a, fromA) | Ssse3.Shuffle(b, fromB)
            : Vector128.Shuffle(a, fromA) | Vector128.Shuffle(b, fromB);
}
