using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Interstice.Wasm.Runtime.Simd;

/// <summary>
/// SIMD loads and stores at a native address that generated code has already bounds-checked for
/// the access's width (see <c>FunctionCompiler.EmitCheckedAddress</c>). Accesses are unaligned:
/// the alignment of a memory argument is only a hint.
/// </summary>
internal static unsafe class SimdMemory
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    [MethodImpl(Inline)] public static V V128Load(nint address) => Unsafe.ReadUnaligned<V>((void*)address);
    [MethodImpl(Inline)] public static void V128Store(nint address, V value) => Unsafe.WriteUnaligned((void*)address, value);

    [MethodImpl(Inline)] public static V V128Load8x8S(nint address) => Vector128.WidenLower(Low64(address).AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V V128Load8x8U(nint address) => Vector128.WidenLower(Low64(address).AsByte()).AsByte();
    [MethodImpl(Inline)] public static V V128Load16x4S(nint address) => Vector128.WidenLower(Low64(address).AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V V128Load16x4U(nint address) => Vector128.WidenLower(Low64(address).AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V V128Load32x2S(nint address) => Vector128.WidenLower(Low64(address).AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V V128Load32x2U(nint address) => Vector128.WidenLower(Low64(address).AsUInt32()).AsByte();

    [MethodImpl(Inline)] public static V V128Load8Splat(nint address) => Vector128.Create(*(byte*)address);
    [MethodImpl(Inline)] public static V V128Load16Splat(nint address) => Vector128.Create(Unsafe.ReadUnaligned<ushort>((void*)address)).AsByte();
    [MethodImpl(Inline)] public static V V128Load32Splat(nint address) => Vector128.Create(Unsafe.ReadUnaligned<uint>((void*)address)).AsByte();
    [MethodImpl(Inline)] public static V V128Load64Splat(nint address) => Vector128.Create(Unsafe.ReadUnaligned<ulong>((void*)address)).AsByte();

    [MethodImpl(Inline)] public static V V128Load32Zero(nint address) => Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>((void*)address)).AsByte();
    [MethodImpl(Inline)] public static V V128Load64Zero(nint address) => Low64(address).AsByte();

    [MethodImpl(Inline)] public static V V128Load8Lane(nint address, V v, int lane) => v.WithElement(lane, *(byte*)address);
    [MethodImpl(Inline)] public static V V128Load16Lane(nint address, V v, int lane) => v.AsUInt16().WithElement(lane, Unsafe.ReadUnaligned<ushort>((void*)address)).AsByte();
    [MethodImpl(Inline)] public static V V128Load32Lane(nint address, V v, int lane) => v.AsUInt32().WithElement(lane, Unsafe.ReadUnaligned<uint>((void*)address)).AsByte();
    [MethodImpl(Inline)] public static V V128Load64Lane(nint address, V v, int lane) => v.AsUInt64().WithElement(lane, Unsafe.ReadUnaligned<ulong>((void*)address)).AsByte();

    [MethodImpl(Inline)] public static void V128Store8Lane(nint address, V v, int lane) => *(byte*)address = v.GetElement(lane);
    [MethodImpl(Inline)] public static void V128Store16Lane(nint address, V v, int lane) => Unsafe.WriteUnaligned((void*)address, v.AsUInt16().GetElement(lane));
    [MethodImpl(Inline)] public static void V128Store32Lane(nint address, V v, int lane) => Unsafe.WriteUnaligned((void*)address, v.AsUInt32().GetElement(lane));
    [MethodImpl(Inline)] public static void V128Store64Lane(nint address, V v, int lane) => Unsafe.WriteUnaligned((void*)address, v.AsUInt64().GetElement(lane));

    /// <summary>Eight bytes from memory in the low half of a vector, the high half zero.</summary>
    [MethodImpl(Inline)]
    private static Vector128<ulong> Low64(nint address) => Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>((void*)address));
}
