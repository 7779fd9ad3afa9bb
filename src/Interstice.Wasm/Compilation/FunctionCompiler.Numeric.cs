using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Numeric instructions (spec 2.4.1). Most are one CIL instruction; division, float min/max and
/// float-to-int conversions call small inlined helpers that implement the spec's traps and NaN
/// rules; float results that may be NaN are canonicalised when the engine asks for it.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private const ValueType I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, F64 = ValueType.F64;

    private bool Numeric(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32Eqz: _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Ceq); Unary(I32); break;
            case Opcode.I64Eqz: _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Conv_I8); _il.Emit(OpCodes.Ceq); Unary(I32); break;

            case Opcode.I32Eq or Opcode.I64Eq or Opcode.F32Eq or Opcode.F64Eq: Compare(OpCodes.Ceq, false); break;
            case Opcode.I32Ne or Opcode.I64Ne or Opcode.F32Ne or Opcode.F64Ne: Compare(OpCodes.Ceq, true); break;
            case Opcode.I32LtS or Opcode.I64LtS or Opcode.F32Lt or Opcode.F64Lt: Compare(OpCodes.Clt, false); break;
            case Opcode.I32LtU or Opcode.I64LtU: Compare(OpCodes.Clt_Un, false); break;
            case Opcode.I32GtS or Opcode.I64GtS or Opcode.F32Gt or Opcode.F64Gt: Compare(OpCodes.Cgt, false); break;
            case Opcode.I32GtU or Opcode.I64GtU: Compare(OpCodes.Cgt_Un, false); break;
            case Opcode.I32LeS or Opcode.I64LeS: Compare(OpCodes.Cgt, true); break;
            case Opcode.I32LeU or Opcode.I64LeU: Compare(OpCodes.Cgt_Un, true); break;
            case Opcode.I32GeS or Opcode.I64GeS: Compare(OpCodes.Clt, true); break;
            case Opcode.I32GeU or Opcode.I64GeU: Compare(OpCodes.Clt_Un, true); break;
            // Float le/ge must be false on NaN: not (greater or unordered), not (less or unordered).
            case Opcode.F32Le or Opcode.F64Le: Compare(OpCodes.Cgt_Un, true); break;
            case Opcode.F32Ge or Opcode.F64Ge: Compare(OpCodes.Clt_Un, true); break;

            case Opcode.I32Clz: CallUnary(typeof(BitOperations), nameof(BitOperations.LeadingZeroCount), typeof(uint)); break;
            case Opcode.I32Ctz: CallUnary(typeof(BitOperations), nameof(BitOperations.TrailingZeroCount), typeof(int)); break;
            case Opcode.I32Popcnt: CallUnary(typeof(BitOperations), nameof(BitOperations.PopCount), typeof(uint)); break;
            case Opcode.I64Clz: CallUnary(typeof(BitOperations), nameof(BitOperations.LeadingZeroCount), typeof(ulong)); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Ctz: CallUnary(typeof(BitOperations), nameof(BitOperations.TrailingZeroCount), typeof(long)); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Popcnt: CallUnary(typeof(BitOperations), nameof(BitOperations.PopCount), typeof(ulong)); _il.Emit(OpCodes.Conv_I8); break;

            case Opcode.I32Add or Opcode.I64Add: Binary(OpCodes.Add); break;
            case Opcode.I32Sub or Opcode.I64Sub: Binary(OpCodes.Sub); break;
            case Opcode.I32Mul or Opcode.I64Mul: Binary(OpCodes.Mul); break;
            case Opcode.I32And or Opcode.I64And: Binary(OpCodes.And); break;
            case Opcode.I32Or or Opcode.I64Or: Binary(OpCodes.Or); break;
            case Opcode.I32Xor or Opcode.I64Xor: Binary(OpCodes.Xor); break;
            case Opcode.I32DivS or Opcode.I64DivS: CallBinary(typeof(IntegerOps), nameof(IntegerOps.DivS)); break;
            case Opcode.I32DivU or Opcode.I64DivU: CallBinary(typeof(IntegerOps), nameof(IntegerOps.DivU)); break;
            case Opcode.I32RemS or Opcode.I64RemS: CallBinary(typeof(IntegerOps), nameof(IntegerOps.RemS)); break;
            case Opcode.I32RemU or Opcode.I64RemU: CallBinary(typeof(IntegerOps), nameof(IntegerOps.RemU)); break;
            case Opcode.I32Shl or Opcode.I64Shl: Shift(OpCodes.Shl); break;
            case Opcode.I32ShrS or Opcode.I64ShrS: Shift(OpCodes.Shr); break;
            case Opcode.I32ShrU or Opcode.I64ShrU: Shift(OpCodes.Shr_Un); break;
            case Opcode.I32Rotl or Opcode.I64Rotl: Rotate(nameof(BitOperations.RotateLeft)); break;
            case Opcode.I32Rotr or Opcode.I64Rotr: Rotate(nameof(BitOperations.RotateRight)); break;

            case Opcode.F32Abs: CallUnary(typeof(MathF), nameof(MathF.Abs), typeof(float)); break;
            case Opcode.F64Abs: CallUnary(typeof(Math), nameof(Math.Abs), typeof(double)); break;
            case Opcode.F32Neg or Opcode.F64Neg: _il.Emit(OpCodes.Neg); break;
            case Opcode.F32Ceil: CallUnary(typeof(MathF), nameof(MathF.Ceiling), typeof(float)); Canonicalize(F32); break;
            case Opcode.F64Ceil: CallUnary(typeof(Math), nameof(Math.Ceiling), typeof(double)); Canonicalize(F64); break;
            case Opcode.F32Floor: CallUnary(typeof(MathF), nameof(MathF.Floor), typeof(float)); Canonicalize(F32); break;
            case Opcode.F64Floor: CallUnary(typeof(Math), nameof(Math.Floor), typeof(double)); Canonicalize(F64); break;
            case Opcode.F32Trunc: CallUnary(typeof(MathF), nameof(MathF.Truncate), typeof(float)); Canonicalize(F32); break;
            case Opcode.F64Trunc: CallUnary(typeof(Math), nameof(Math.Truncate), typeof(double)); Canonicalize(F64); break;
            case Opcode.F32Nearest: CallUnary(typeof(MathF), nameof(MathF.Round), typeof(float)); Canonicalize(F32); break;
            case Opcode.F64Nearest: CallUnary(typeof(Math), nameof(Math.Round), typeof(double)); Canonicalize(F64); break;
            case Opcode.F32Sqrt: CallUnary(typeof(MathF), nameof(MathF.Sqrt), typeof(float)); Canonicalize(F32); break;
            case Opcode.F64Sqrt: CallUnary(typeof(Math), nameof(Math.Sqrt), typeof(double)); Canonicalize(F64); break;
            case Opcode.F32Add or Opcode.F64Add: Binary(OpCodes.Add); Canonicalize(_stack[^1]); break;
            case Opcode.F32Sub or Opcode.F64Sub: Binary(OpCodes.Sub); Canonicalize(_stack[^1]); break;
            case Opcode.F32Mul or Opcode.F64Mul: Binary(OpCodes.Mul); Canonicalize(_stack[^1]); break;
            case Opcode.F32Div or Opcode.F64Div: Binary(OpCodes.Div); Canonicalize(_stack[^1]); break;
            case Opcode.F32Min or Opcode.F64Min: CallBinary(typeof(FloatOps), nameof(FloatOps.Min)); Canonicalize(_stack[^1]); break;
            case Opcode.F32Max or Opcode.F64Max: CallBinary(typeof(FloatOps), nameof(FloatOps.Max)); Canonicalize(_stack[^1]); break;
            case Opcode.F32Copysign: CallBinary(typeof(MathF), nameof(MathF.CopySign)); break;
            case Opcode.F64Copysign: CallBinary(typeof(Math), nameof(Math.CopySign)); break;

            case Opcode.I32WrapI64: Convert(OpCodes.Conv_I4, I32); break;
            case Opcode.I32TruncF32S: ConvertCall(nameof(Conversions.I32TruncF32S), I32); break;
            case Opcode.I32TruncF32U: ConvertCall(nameof(Conversions.I32TruncF32U), I32); break;
            case Opcode.I32TruncF64S: ConvertCall(nameof(Conversions.I32TruncF64S), I32); break;
            case Opcode.I32TruncF64U: ConvertCall(nameof(Conversions.I32TruncF64U), I32); break;
            case Opcode.I64ExtendI32S: Convert(OpCodes.Conv_I8, I64); break;
            case Opcode.I64ExtendI32U: Convert(OpCodes.Conv_U8, I64); break;
            case Opcode.I64TruncF32S: ConvertCall(nameof(Conversions.I64TruncF32S), I64); break;
            case Opcode.I64TruncF32U: ConvertCall(nameof(Conversions.I64TruncF32U), I64); break;
            case Opcode.I64TruncF64S: ConvertCall(nameof(Conversions.I64TruncF64S), I64); break;
            case Opcode.I64TruncF64U: ConvertCall(nameof(Conversions.I64TruncF64U), I64); break;
            case Opcode.F32ConvertI32S or Opcode.F32ConvertI64S: Convert(OpCodes.Conv_R4, F32); break;
            case Opcode.F32ConvertI32U: ConvertCall(nameof(Conversions.F32ConvertI32U), F32); break;
            case Opcode.F32ConvertI64U: ConvertCall(nameof(Conversions.F32ConvertI64U), F32); break;
            // The JIT folds demote(promote(x)) to x, which would let a signalling NaN through unquieted.
            case Opcode.F32DemoteF64 when _previousOpcode == Opcode.F64PromoteF32: ConvertCall(nameof(Conversions.F32DemoteF64), F32); Canonicalize(F32); break;
            case Opcode.F32DemoteF64: Convert(OpCodes.Conv_R4, F32); Canonicalize(F32); break;
            case Opcode.F64ConvertI32S or Opcode.F64ConvertI64S: Convert(OpCodes.Conv_R8, F64); break;
            case Opcode.F64ConvertI32U: _il.Emit(OpCodes.Conv_U8); Convert(OpCodes.Conv_R8, F64); break;
            case Opcode.F64ConvertI64U: ConvertCall(nameof(Conversions.F64ConvertI64U), F64); break;
            case Opcode.F64PromoteF32: Convert(OpCodes.Conv_R8, F64); Canonicalize(F64); break;
            case Opcode.I32ReinterpretF32: CallConvert(RuntimeMembers.SingleToInt32Bits, I32); break;
            case Opcode.I64ReinterpretF64: CallConvert(RuntimeMembers.DoubleToInt64Bits, I64); break;
            // After a constant, the JIT would fold the reinterpretation through double, quieting a signalling NaN.
            case Opcode.F32ReinterpretI32:
                CallConvert(_previousOpcode == Opcode.I32Const ? RuntimeMembers.F32FromBits : RuntimeMembers.Int32BitsToSingle, F32);
                break;
            case Opcode.F64ReinterpretI64: CallConvert(RuntimeMembers.Int64BitsToDouble, F64); break;

            case Opcode.I32Extend8S: _il.Emit(OpCodes.Conv_I1); break;
            case Opcode.I32Extend16S: _il.Emit(OpCodes.Conv_I2); break;
            case Opcode.I64Extend8S: _il.Emit(OpCodes.Conv_I1); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Extend16S: _il.Emit(OpCodes.Conv_I2); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Extend32S: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Conv_I8); break;

            case Opcode.I32TruncSatF32S: ConvertCall(nameof(Conversions.I32TruncSatF32S), I32); break;
            case Opcode.I32TruncSatF32U: ConvertCall(nameof(Conversions.I32TruncSatF32U), I32); break;
            case Opcode.I32TruncSatF64S: ConvertCall(nameof(Conversions.I32TruncSatF64S), I32); break;
            case Opcode.I32TruncSatF64U: ConvertCall(nameof(Conversions.I32TruncSatF64U), I32); break;
            case Opcode.I64TruncSatF32S: ConvertCall(nameof(Conversions.I64TruncSatF32S), I64); break;
            case Opcode.I64TruncSatF32U: ConvertCall(nameof(Conversions.I64TruncSatF32U), I64); break;
            case Opcode.I64TruncSatF64S: ConvertCall(nameof(Conversions.I64TruncSatF64S), I64); break;
            case Opcode.I64TruncSatF64U: ConvertCall(nameof(Conversions.I64TruncSatF64U), I64); break;

            default: return false;
        }
        return true;
    }

    private void F32Const(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        if (FloatConstants.FieldFor(bits) is { } field)
        {
            _il.Emit(OpCodes.Ldsfld, typeof(FloatConstants).GetField(field, BindingFlags.Public | BindingFlags.Static)!);
        }
        else if (float.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I4, (int)bits);
            _il.Emit(OpCodes.Call, RuntimeMembers.F32FromBits);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R4, value);
        }
        Push(F32);
    }

    private void F64Const(ulong bits)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);
        if (FloatConstants.FieldFor(bits) is { } field)
        {
            _il.Emit(OpCodes.Ldsfld, typeof(FloatConstants).GetField(field, BindingFlags.Public | BindingFlags.Static)!);
        }
        else if (double.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I8, (long)bits);
            _il.Emit(OpCodes.Call, RuntimeMembers.F64FromBits);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R8, value);
        }
        Push(F64);
    }

    /// <summary>Replaces the operand type on the tracked stack (the CIL was emitted by the caller).</summary>
    private void Unary(ValueType result)
    {
        Pop();
        Push(result);
    }

    private void Binary(OpCode op)
    {
        _il.Emit(op);
        Pop();
    }

    private void Compare(OpCode op, bool negate)
    {
        _il.Emit(op);
        if (negate)
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ceq);
        }
        Pop(2);
        Push(I32);
    }

    /// <summary>Shift counts are taken modulo the bit width, as the spec says (CIL leaves larger counts undefined).</summary>
    private void Shift(OpCode op)
    {
        if (_stack[^1] == I64)
        {
            _il.Emit(OpCodes.Ldc_I4, 63);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Conv_I4);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4, 31);
            _il.Emit(OpCodes.And);
        }
        _il.Emit(op);
        Pop();
    }

    private void Rotate(string name)
    {
        bool is64 = _stack[^1] == I64;
        if (is64) _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(typeof(BitOperations), name, is64 ? typeof(ulong) : typeof(uint), typeof(int)));
        Pop();
    }

    /// <summary>A one-operand static helper over the operand's type (the result keeps the operand's wasm type unless the caller widens it).</summary>
    private void CallUnary(Type type, string name, Type operand) =>
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(type, name, operand));

    /// <summary>A two-operand static helper, chosen by the operands' type.</summary>
    private void CallBinary(Type type, string name)
    {
        var operand = ClrTypes.Of(_stack[^1]);
        _il.Emit(OpCodes.Call, RuntimeMembers.Method(type, name, operand, operand));
        Pop();
    }

    private void Convert(OpCode op, ValueType result)
    {
        _il.Emit(op);
        Unary(result);
    }

    private void ConvertCall(string name, ValueType result) =>
        CallConvert(RuntimeMembers.Method(typeof(Conversions), name), result);

    private void CallConvert(MethodInfo method, ValueType result)
    {
        _il.Emit(OpCodes.Call, method);
        Unary(result);
    }

    private void Canonicalize(ValueType type)
    {
        if (!_canonicalizeNaNs) return;
        _il.Emit(OpCodes.Call, type == F32 ? RuntimeMembers.CanonicalizeF32 : RuntimeMembers.CanonicalizeF64);
    }
}
