using System.Runtime.Intrinsics;
using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Evaluates constant expressions (global initializers, segment offsets, element items) at
/// instantiation. They are validated, so they hold only constants, <c>global.get</c> of
/// imported globals, <c>ref.null</c> and <c>ref.func</c> (and the extended-const arithmetic).
/// </summary>
internal static class ConstantExpressions
{
    /// <param name="module">The module the expression belongs to.</param>
    /// <param name="expression">The expression's bytes.</param>
    /// <param name="globals">The values of the globals initialized so far, by global index.</param>
    /// <param name="functions">The instance's funcrefs, by function index.</param>
    public static Value Evaluate(ModuleDefinition module, ConstantExpression expression, Value[] globals, Function?[] functions)
    {
        var reader = new WasmReader(module.Bytes, expression.Offset, expression.Offset + expression.Length, "constant expression");
        Span<Value> stack = new Value[4];
        int depth = 0;
        while (true)
        {
            var opcode = reader.ReadOpcode();
            switch (opcode)
            {
                case Opcode.End:
                    return stack[depth - 1];
                case Opcode.I32Const: Push(ref stack, ref depth, Value.FromI32(reader.ReadVarInt32())); break;
                case Opcode.I64Const: Push(ref stack, ref depth, Value.FromI64(reader.ReadVarInt64())); break;
                case Opcode.F32Const: Push(ref stack, ref depth, Value.FromF32Bits(reader.ReadUInt32Fixed())); break;
                case Opcode.F64Const: Push(ref stack, ref depth, Value.FromF64Bits(reader.ReadUInt64Fixed())); break;
                case Opcode.SimdBase + (int)SimdOpcode.V128Const: Push(ref stack, ref depth, Value.FromV128(Vector128.Create(reader.ReadBytes(16)))); break;
                case Opcode.RefNull: Push(ref stack, ref depth, Value.Default(reader.ReadReferenceType())); break;
                case Opcode.RefFunc: Push(ref stack, ref depth, Value.FromFunction(functions[(int)reader.ReadVarUInt32()])); break;
                case Opcode.GlobalGet: Push(ref stack, ref depth, globals[(int)reader.ReadVarUInt32()]); break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul:
                    {
                        int b = stack[--depth].AsI32(), a = stack[--depth].AsI32();
                        Push(ref stack, ref depth, Value.FromI32(opcode == Opcode.I32Add ? a + b : opcode == Opcode.I32Sub ? a - b : a * b));
                        break;
                    }
                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul:
                    {
                        long b = stack[--depth].AsI64(), a = stack[--depth].AsI64();
                        Push(ref stack, ref depth, Value.FromI64(opcode == Opcode.I64Add ? a + b : opcode == Opcode.I64Sub ? a - b : a * b));
                        break;
                    }
                default:
                    throw new InvalidOperationException($"opcode 0x{(int)opcode:x} in a constant expression at byte offset 0x{expression.Offset:x}");
            }
        }
    }

    /// <summary>The function a <c>ref.func</c> in the expression names, if any (such functions can be referenced, so they get a funcref).</summary>
    public static int? ReferencedFunction(ModuleDefinition module, ConstantExpression expression)
    {
        var reader = new WasmReader(module.Bytes, expression.Offset, expression.Offset + expression.Length, "constant expression");
        while (!reader.AtEnd)
        {
            var opcode = reader.ReadOpcode();
            if (opcode == Opcode.RefFunc) return (int)reader.ReadVarUInt32();
            Compilation.InstructionSkipper.SkipImmediates(opcode, ref reader);
        }
        return null;
    }

    private static void Push(ref Span<Value> stack, ref int depth, Value value)
    {
        if (depth == stack.Length)
        {
            var grown = new Value[stack.Length * 2];
            stack.CopyTo(grown);
            stack = grown;
        }
        stack[depth++] = value;
    }
}
