using Interstice.Wasm.Binary;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Reads a loop body ahead of compiling it, for facts that decide how its header is compiled.
/// Works on the validated bytes: every instruction is known and the body ends with its <c>end</c>.
/// </summary>
internal static class LoopScanner
{
    /// <summary>
    /// Whether every iteration of the loop whose body starts at <paramref name="body"/> calls a
    /// function defined in the module: a direct <c>call</c> at the top level of the body (not
    /// inside a nested block, so it runs on every path that gets that far) comes before any branch
    /// back to the loop. The callee's entry check then catches a pending interrupt (see
    /// <see cref="Runtime.InstanceContext.InterruptMarker"/>), so the loop needs no check of its own.
    /// </summary>
    public static bool CallsEveryIteration(WasmReader body, int importedFunctionCount)
    {
        int depth = 0;
        while (true)
        {
            var opcode = body.ReadOpcode();
            switch (opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    body.ReadBlockType();
                    depth++;
                    break;
                case Opcode.End:
                    if (depth == 0) return false;
                    depth--;
                    break;
                case Opcode.Br or Opcode.BrIf:
                    if (body.ReadVarUInt32() == depth) return false;
                    break;
                case Opcode.BrTable:
                    for (int n = body.ReadCount(); n >= 0; n--)
                        if (body.ReadVarUInt32() == depth) return false;
                    break;
                case Opcode.Call:
                    if (body.ReadVarUInt32() >= importedFunctionCount && depth == 0) return true;
                    break;
                default:
                    InstructionSkipper.SkipImmediates(opcode, ref body);
                    break;
            }
        }
    }
}
