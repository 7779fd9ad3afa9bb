using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// Lane shifts. WebAssembly takes the count modulo the lane width; it is masked here rather than
/// left to the API, so the rule stands in the code that implements it.
/// </summary>
internal static class SimdShifts
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static V I8x16Shl(V a, int count) => Vector128.ShiftLeft(a, count & 7);
    [MethodImpl(Inline)] public static V I8x16ShrS(V a, int count) => Vector128.ShiftRightArithmetic(a.AsSByte(), count & 7).AsByte();
    [MethodImpl(Inline)] public static V I8x16ShrU(V a, int count) => Vector128.ShiftRightLogical(a, count & 7);
    [MethodImpl(Inline)] public static V I16x8Shl(V a, int count) => Vector128.ShiftLeft(a.AsInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I16x8ShrS(V a, int count) => Vector128.ShiftRightArithmetic(a.AsInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I16x8ShrU(V a, int count) => Vector128.ShiftRightLogical(a.AsUInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I32x4Shl(V a, int count) => Vector128.ShiftLeft(a.AsInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I32x4ShrS(V a, int count) => Vector128.ShiftRightArithmetic(a.AsInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I32x4ShrU(V a, int count) => Vector128.ShiftRightLogical(a.AsUInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I64x2Shl(V a, int count) => Vector128.ShiftLeft(a.AsInt64(), count & 63).AsByte();
    [MethodImpl(Inline)] public static V I64x2ShrS(V a, int count) => Vector128.ShiftRightArithmetic(a.AsInt64(), count & 63).AsByte();
    [MethodImpl(Inline)] public static V I64x2ShrU(V a, int count) => Vector128.ShiftRightLogical(a.AsUInt64(), count & 63).AsByte();
}
