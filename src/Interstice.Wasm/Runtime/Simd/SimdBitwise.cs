using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// <c>v128.const</c> and the bitwise instructions, which ignore lane shapes: the portable
/// <see cref="Vector128"/> operators have exactly their semantics.
/// </summary>
internal static class SimdBitwise
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    /// <summary>A constant from its two 64-bit halves; the JIT folds it into a constant vector.</summary>
    [MethodImpl(Inline)] public static V V128Const(long low, long high) => Vector128.Create(low, high).AsByte();

    /// <summary>
    /// A constant holding a signalling NaN in some float lane. Not inlined: the JIT would fold a
    /// lane read from a constant vector into a float constant, which it keeps as a double,
    /// quietening the NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] public static V V128ConstOpaque(long low, long high) => Vector128.Create(low, high).AsByte();

    [MethodImpl(Inline)] public static V V128Not(V a) => ~a;
    [MethodImpl(Inline)] public static V V128And(V a, V b) => a & b;
    [MethodImpl(Inline)] public static V V128Andnot(V a, V b) => Vector128.AndNot(a, b);
    [MethodImpl(Inline)] public static V V128Or(V a, V b) => a | b;
    [MethodImpl(Inline)] public static V V128Xor(V a, V b) => a ^ b;

    /// <summary>The bits of <paramref name="a"/> where <paramref name="mask"/> has ones, of <paramref name="b"/> elsewhere.</summary>
    [MethodImpl(Inline)] public static V V128Bitselect(V a, V b, V mask) => Vector128.ConditionalSelect(mask, a, b);

    [MethodImpl(Inline)] public static int V128AnyTrue(V a) => a != V.Zero ? 1 : 0;
}
