using System.Buffers.Binary;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Validation;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// SIMD instructions (spec 4.4.3 and 4.4.7). A <c>v128</c> is a <see cref="Vector128{T}"/> of
/// bytes on the CIL stack; each instruction calls its runtime helper (<see cref="SimdMethods"/>),
/// which the JIT inlines, with lane indices and shuffle masks as constants so that they fold.
/// Memory accesses are bounds-checked like the scalar ones, for their exact width.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void Simd(SimdOpcode opcode, ref WasmReader reader)
    {
        var signature = SimdSignatures.Of(opcode);
        switch (SimdImmediates.Of((uint)opcode))
        {
            case SimdImmediate.MemoryArgument:
                SimdMemoryAccess(opcode, signature, reader.ReadMemoryArgument(), lane: null);
                return;
            case SimdImmediate.MemoryArgumentAndLane:
                {
                    var argument = reader.ReadMemoryArgument();
                    SimdMemoryAccess(opcode, signature, argument, reader.ReadLaneIndex());
                    return;
                }
            case SimdImmediate.Bytes16 when opcode == SimdOpcode.V128Const:
                V128Const(reader.ReadBytes(16));
                break;
            case SimdImmediate.Bytes16:
                Shuffle(reader.ReadBytes(16));
                break;
            case SimdImmediate.Lane:
                _il.Emit(OpCodes.Ldc_I4, (int)reader.ReadLaneIndex());
                _il.Emit(OpCodes.Call, SimdMethods.Of(opcode));
                break;
            default:
                _il.Emit(OpCodes.Call, SimdMethods.Of(opcode));
                break;
        }
        Pop(signature.OperandCount);
        if (signature.HasResult) Push(signature.Result);
        CanonicalizeSimd(opcode);
    }

    /// <summary>
    /// A load or store: the vector operand (stores and lane accesses) waits in a temporary while
    /// the address below it is checked and turned into a native address, then the helper runs.
    /// </summary>
    private void SimdMemoryAccess(SimdOpcode opcode, in SimdSignature signature, MemoryArgument argument, byte? lane)
    {
        LocalBuilder? vector = null;
        if (signature.Second == ValueType.V128)
        {
            vector = _temps.Rent(typeof(Vector128<byte>));
            _il.Emit(OpCodes.Stloc, vector);
        }
        EmitCheckedAddress(argument.Offset, signature.AccessWidth);
        if (vector is not null)
        {
            _il.Emit(OpCodes.Ldloc, vector);
            _temps.Return(vector);
        }
        if (lane is { } index) _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Call, SimdMethods.Of(opcode));
        Pop(signature.OperandCount);
        if (signature.HasResult) Push(signature.Result);
    }

    private void V128Const(ReadOnlySpan<byte> bytes)
    {
        EmitVectorBits(bytes);
        _il.Emit(OpCodes.Call, HasSignallingNaN(bytes) ? SimdMethods.ConstOpaque : SimdMethods.Of(SimdOpcode.V128Const));
    }

    /// <summary>
    /// <c>i8x16.shuffle</c>: the lane indices (0 to 31) become two constant masks, one selecting
    /// from the first operand and one from the second, with 0x80 (a zero lane) where the other
    /// operand supplies the lane.
    /// </summary>
    private void Shuffle(ReadOnlySpan<byte> lanes)
    {
        Span<byte> fromFirst = stackalloc byte[16];
        Span<byte> fromSecond = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            fromFirst[i] = lanes[i] < 16 ? lanes[i] : (byte)0x80;
            fromSecond[i] = lanes[i] >= 16 ? (byte)(lanes[i] - 16) : (byte)0x80;
        }
        EmitVectorBits(fromFirst);
        _il.Emit(OpCodes.Call, SimdMethods.Of(SimdOpcode.V128Const));
        EmitVectorBits(fromSecond);
        _il.Emit(OpCodes.Call, SimdMethods.Of(SimdOpcode.V128Const));
        _il.Emit(OpCodes.Call, SimdMethods.Of(SimdOpcode.I8x16Shuffle));
    }

    /// <summary>Pushes 16 bytes as the two <c>long</c> halves that the constant helpers take.</summary>
    private void EmitVectorBits(ReadOnlySpan<byte> bytes)
    {
        _il.Emit(OpCodes.Ldc_I8, BinaryPrimitives.ReadInt64LittleEndian(bytes));
        _il.Emit(OpCodes.Ldc_I8, BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
    }

    /// <summary>True when some f32 or f64 reading of the bytes is a signalling NaN (see <see cref="SimdMethods.ConstOpaque"/>).</summary>
    private static bool HasSignallingNaN(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < 16; i += 4)
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(bytes[i..]);
            if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x007FFFFF) != 0 && (bits & 0x00400000) == 0) return true;
        }
        for (int i = 0; i < 16; i += 8)
        {
            ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]);
            if ((bits & 0x7FF0000000000000) == 0x7FF0000000000000 && (bits & 0x000FFFFFFFFFFFFF) != 0 && (bits & 0x0008000000000000) == 0) return true;
        }
        return false;
    }

    /// <summary>With NaN canonicalisation: float lane results that may be NaN are canonicalised (bitwise operations such as abs, neg and pmin keep their bits).</summary>
    private void CanonicalizeSimd(SimdOpcode opcode)
    {
        if (!_canonicalizeNaNs) return;
        switch (opcode)
        {
            case SimdOpcode.F32x4Ceil or SimdOpcode.F32x4Floor or SimdOpcode.F32x4Trunc or SimdOpcode.F32x4Nearest or SimdOpcode.F32x4Sqrt
                or (>= SimdOpcode.F32x4Add and <= SimdOpcode.F32x4Max) or SimdOpcode.F32x4DemoteF64x2Zero:
                _il.Emit(OpCodes.Call, SimdMethods.CanonicalizeF32x4);
                break;
            case SimdOpcode.F64x2Ceil or SimdOpcode.F64x2Floor or SimdOpcode.F64x2Trunc or SimdOpcode.F64x2Nearest or SimdOpcode.F64x2Sqrt
                or (>= SimdOpcode.F64x2Add and <= SimdOpcode.F64x2Max) or SimdOpcode.F64x2PromoteLowF32x4:
                _il.Emit(OpCodes.Call, SimdMethods.CanonicalizeF64x2);
                break;
        }
    }
}
