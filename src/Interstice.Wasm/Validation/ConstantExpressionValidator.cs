using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Validation;

/// <summary>
/// Validates constant expressions (spec 3.3.10): global initializers, segment offsets and element
/// items may only hold <c>t.const</c> (<c>v128.const</c> included), <c>ref.null</c>, <c>ref.func</c> and <c>global.get</c> of an
/// immutable global, and must leave exactly one value of the expected type.
/// </summary>
internal static class ConstantExpressionValidator
{
    /// <param name="module">The module holding the expression.</param>
    /// <param name="expression">The expression's bytes (well formed: the decoder scanned them).</param>
    /// <param name="expected">The type the expression must produce.</param>
    /// <param name="visibleGlobals">How many globals, from index 0, the expression may read: the imported ones in WebAssembly 2.0.</param>
    /// <param name="referencedFunctions">Marks each function named by a <c>ref.func</c>: such references declare it (spec C.refs).</param>
    /// <param name="location">The item being validated, for error messages.</param>
    public static void Validate(
        ModuleDefinition module,
        ConstantExpression expression,
        ValueType expected,
        int visibleGlobals,
        bool[] referencedFunctions,
        string location)
    {
        var reader = new WasmReader(module.Bytes, expression.Offset, expression.Offset + expression.Length, location);
        int count = 0;
        var last = OperandStack.Unknown;
        while (true)
        {
            int offset = reader.Position;
            var opcode = (Opcode)reader.ReadByte();
            switch (opcode)
            {
                case Opcode.I32Const:
                    reader.ReadVarInt32();
                    last = ValueType.I32;
                    break;
                case Opcode.I64Const:
                    reader.ReadVarInt64();
                    last = ValueType.I64;
                    break;
                case Opcode.F32Const:
                    reader.ReadBytes(4);
                    last = ValueType.F32;
                    break;
                case Opcode.F64Const:
                    reader.ReadBytes(8);
                    last = ValueType.F64;
                    break;
                case Opcode.PrefixSimd:
                    if (reader.ReadVarUInt32() != (uint)SimdOpcode.V128Const)
                        throw new InvalidModuleException(location, offset, "constant expression required");
                    reader.ReadBytes(16);
                    last = ValueType.V128;
                    break;
                case Opcode.RefNull:
                    last = reader.ReadReferenceType();
                    break;
                case Opcode.RefFunc:
                    int function = reader.ReadIndex();
                    if ((uint)function >= (uint)module.FunctionCount)
                        throw new InvalidModuleException(location, offset, $"unknown function {(uint)function}");
                    referencedFunctions[function] = true;
                    last = ValueType.FuncRef;
                    break;
                case Opcode.GlobalGet:
                    int global = reader.ReadIndex();
                    if ((uint)global >= (uint)visibleGlobals)
                        throw new InvalidModuleException(location, offset, $"unknown global {(uint)global}");
                    var globalType = module.GetGlobalType(global);
                    if (globalType.Mutable)
                        throw new InvalidModuleException(location, offset, $"constant expression required (global {global} is mutable)");
                    last = globalType.ValueType;
                    break;
                case Opcode.End:
                    if (count != 1 || last != expected)
                    {
                        string found = count == 0 ? "nothing" : count == 1 ? last.ToWatName() : $"{count} values";
                        throw new InvalidModuleException(location, offset, $"type mismatch: expected {expected.ToWatName()}, found {found}");
                    }
                    return;
                default:
                    throw new InvalidModuleException(location, offset, "constant expression required");
            }
            count++;
        }
    }
}
