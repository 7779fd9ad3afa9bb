using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Validation;

/// <summary>The SIMD instructions (spec 3.3.3, 3.3.7): types from <see cref="SimdSignatures"/>, plus lane indices and alignment.</summary>
internal sealed partial class FunctionValidator
{
    private void ValidatePrefixSimd(ref WasmReader reader, int offset)
    {
        var opcode = (SimdOpcode)(reader.ReadOpcode() - Opcode.SimdBase);
        var signature = SimdSignatures.Of(opcode);
        switch (SimdImmediates.Of((uint)opcode))
        {
            case SimdImmediate.MemoryArgument:
                CheckSimdMemoryArgument(reader.ReadMemoryArgument(), signature, offset);
                break;
            case SimdImmediate.MemoryArgumentAndLane:
                CheckSimdMemoryArgument(reader.ReadMemoryArgument(), signature, offset);
                CheckLaneIndex(reader.ReadLaneIndex(), signature.LaneCount, offset);
                break;
            case SimdImmediate.Lane:
                CheckLaneIndex(reader.ReadLaneIndex(), signature.LaneCount, offset);
                break;
            case SimdImmediate.Bytes16:
                var bytes = reader.ReadBytes(16);
                if (opcode == SimdOpcode.I8x16Shuffle)
                    foreach (byte lane in bytes) CheckLaneIndex(lane, signature.LaneCount, offset);
                break;
        }
        if (signature.Third != Unknown) Pop(signature.Third, offset);
        if (signature.Second != Unknown) Pop(signature.Second, offset);
        if (signature.First != Unknown) Pop(signature.First, offset);
        if (signature.HasResult) _operands.Push(signature.Result);
    }

    private void CheckSimdMemoryArgument(MemoryArgument argument, in SimdSignature signature, int offset)
    {
        RequireMemory(offset);
        if (argument.AlignExponent > signature.NaturalAlignment)
            throw Error(offset, ValidationMessages.Alignment(argument.AlignExponent, signature.NaturalAlignment));
    }

    private void CheckLaneIndex(byte lane, int laneCount, int offset)
    {
        if (lane >= laneCount) throw Error(offset, ValidationMessages.LaneIndex(lane, laneCount));
    }
}
