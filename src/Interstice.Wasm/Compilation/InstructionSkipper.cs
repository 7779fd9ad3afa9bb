using Interstice.Wasm.Binary;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Skips an instruction's immediates, for code the compiler reads without emitting anything
/// (unreachable code) and for the quick scan before a function is compiled. The module has been
/// validated, so every opcode is known.
/// </summary>
internal static class InstructionSkipper
{
    public static void SkipImmediates(Opcode opcode, ref WasmReader reader)
    {
        switch (opcode)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
                reader.ReadBlockType();
                break;
            case Opcode.Br or Opcode.BrIf or Opcode.Call or Opcode.RefFunc
                or Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee or Opcode.GlobalGet or Opcode.GlobalSet
                or Opcode.TableGet or Opcode.TableSet
                or Opcode.DataDrop or Opcode.ElemDrop or Opcode.TableGrow or Opcode.TableSize or Opcode.TableFill:
                reader.ReadVarUInt32();
                break;
            case Opcode.BrTable:
                for (int n = reader.ReadCount(); n >= 0; n--) reader.ReadVarUInt32();
                break;
            case Opcode.CallIndirect or Opcode.TableInit or Opcode.TableCopy:
                reader.ReadVarUInt32();
                reader.ReadVarUInt32();
                break;
            case Opcode.SelectTyped:
                for (int n = reader.ReadCount(); n > 0; n--) reader.ReadValueType();
                break;
            case >= Opcode.I32Load and <= Opcode.I64Store32:
                reader.ReadMemoryArgument();
                break;
            case Opcode.MemorySize or Opcode.MemoryGrow or Opcode.MemoryFill:
                reader.ReadByte();
                break;
            case Opcode.MemoryInit:
                reader.ReadVarUInt32();
                reader.ReadByte();
                break;
            case Opcode.MemoryCopy:
                reader.ReadByte();
                reader.ReadByte();
                break;
            case Opcode.I32Const:
                reader.ReadVarInt32();
                break;
            case Opcode.I64Const:
                reader.ReadVarInt64();
                break;
            case Opcode.F32Const:
                reader.ReadUInt32Fixed();
                break;
            case Opcode.F64Const:
                reader.ReadUInt64Fixed();
                break;
            case Opcode.RefNull:
                reader.ReadReferenceType();
                break;
            case >= Opcode.SimdBase:
                reader.SkipSimdImmediates(SimdImmediates.Of((uint)(opcode - Opcode.SimdBase)));
                break;
        }
    }

    /// <summary>True for the instructions that read or write linear memory.</summary>
    public static bool UsesMemory(Opcode opcode) =>
        opcode is (>= Opcode.I32Load and <= Opcode.MemoryGrow) or Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill
        || (opcode >= Opcode.SimdBase && SimdImmediates.Of((uint)(opcode - Opcode.SimdBase)) is SimdImmediate.MemoryArgument or SimdImmediate.MemoryArgumentAndLane);
}
