using Interstice.Wasm.Binary;

namespace Interstice.Wasm.Validation;

/// <summary>
/// The typing of a SIMD instruction (spec 3.3.3 and 3.3.7): up to three operands, deepest first
/// (<see cref="OperandStack.Unknown"/> where there are fewer), the result (unknown for stores),
/// and the constraints on its immediates.
/// </summary>
/// <param name="Result">The pushed result, or <see cref="OperandStack.Unknown"/> for none.</param>
/// <param name="First">The deepest operand.</param>
/// <param name="Second">The second operand.</param>
/// <param name="Third">The third operand (only <c>v128.bitselect</c> has one).</param>
/// <param name="LaneCount">For a lane index immediate, how many lanes the index chooses from (32 for the two vectors of <c>i8x16.shuffle</c>); 0 otherwise.</param>
/// <param name="NaturalAlignment">For memory accesses, log2 of the bytes accessed, the largest alignment allowed.</param>
internal readonly record struct SimdSignature(
    ValueType Result,
    ValueType First = OperandStack.Unknown,
    ValueType Second = OperandStack.Unknown,
    ValueType Third = OperandStack.Unknown,
    byte LaneCount = 0,
    byte NaturalAlignment = 0)
{
    public int OperandCount => First == OperandStack.Unknown ? 0 : Second == OperandStack.Unknown ? 1 : Third == OperandStack.Unknown ? 2 : 3;

    public bool HasResult => Result != OperandStack.Unknown;

    /// <summary>For memory accesses: how many bytes are read or written.</summary>
    public int AccessWidth => 1 << NaturalAlignment;
}

/// <summary>The signatures of the SIMD instructions by subopcode, so that the validator and the compiler handle most of them with one lookup.</summary>
internal static class SimdSignatures
{
    private const ValueType V = ValueType.V128, I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, F64 = ValueType.F64;
    private const ValueType None = OperandStack.Unknown;

    private static readonly SimdSignature[] s_bySubopcode = Build();

    /// <summary>The signature of a SIMD instruction (the decoder has checked that it exists).</summary>
    public static ref readonly SimdSignature Of(SimdOpcode opcode) => ref s_bySubopcode[(int)opcode];

    private static SimdSignature[] Build()
    {
        var table = new SimdSignature[256];
        void Set(SimdOpcode first, SimdOpcode last, SimdSignature signature)
        {
            for (int op = (int)first; op <= (int)last; op++) table[op] = signature;
        }
        void One(SimdOpcode opcode, SimdSignature signature) => table[(int)opcode] = signature;

        // Whatever is not listed below (comparisons, arithmetic, narrowing, extmul, dot...) is a binary operation on vectors.
        foreach (var opcode in Enum.GetValues<SimdOpcode>()) table[(int)opcode] = new(V, V, V);

        // Memory.
        One(SimdOpcode.V128Load, new(V, I32, NaturalAlignment: 4));
        Set(SimdOpcode.V128Load8x8S, SimdOpcode.V128Load32x2U, new(V, I32, NaturalAlignment: 3));
        One(SimdOpcode.V128Load8Splat, new(V, I32, NaturalAlignment: 0));
        One(SimdOpcode.V128Load16Splat, new(V, I32, NaturalAlignment: 1));
        One(SimdOpcode.V128Load32Splat, new(V, I32, NaturalAlignment: 2));
        One(SimdOpcode.V128Load64Splat, new(V, I32, NaturalAlignment: 3));
        One(SimdOpcode.V128Load32Zero, new(V, I32, NaturalAlignment: 2));
        One(SimdOpcode.V128Load64Zero, new(V, I32, NaturalAlignment: 3));
        One(SimdOpcode.V128Store, new(None, I32, V, NaturalAlignment: 4));
        for (int i = 0; i < 4; i++)
        {
            byte lanes = (byte)(16 >> i), alignment = (byte)i;
            One((SimdOpcode)((int)SimdOpcode.V128Load8Lane + i), new(V, I32, V, LaneCount: lanes, NaturalAlignment: alignment));
            One((SimdOpcode)((int)SimdOpcode.V128Store8Lane + i), new(None, I32, V, LaneCount: lanes, NaturalAlignment: alignment));
        }

        // Constant, shuffles, splats, lanes.
        One(SimdOpcode.V128Const, new(V));
        One(SimdOpcode.I8x16Shuffle, new(V, V, V, LaneCount: 32));
        One(SimdOpcode.I8x16Splat, new(V, I32));
        One(SimdOpcode.I16x8Splat, new(V, I32));
        One(SimdOpcode.I32x4Splat, new(V, I32));
        One(SimdOpcode.I64x2Splat, new(V, I64));
        One(SimdOpcode.F32x4Splat, new(V, F32));
        One(SimdOpcode.F64x2Splat, new(V, F64));
        One(SimdOpcode.I8x16ExtractLaneS, new(I32, V, LaneCount: 16));
        One(SimdOpcode.I8x16ExtractLaneU, new(I32, V, LaneCount: 16));
        One(SimdOpcode.I8x16ReplaceLane, new(V, V, I32, LaneCount: 16));
        One(SimdOpcode.I16x8ExtractLaneS, new(I32, V, LaneCount: 8));
        One(SimdOpcode.I16x8ExtractLaneU, new(I32, V, LaneCount: 8));
        One(SimdOpcode.I16x8ReplaceLane, new(V, V, I32, LaneCount: 8));
        One(SimdOpcode.I32x4ExtractLane, new(I32, V, LaneCount: 4));
        One(SimdOpcode.I32x4ReplaceLane, new(V, V, I32, LaneCount: 4));
        One(SimdOpcode.I64x2ExtractLane, new(I64, V, LaneCount: 2));
        One(SimdOpcode.I64x2ReplaceLane, new(V, V, I64, LaneCount: 2));
        One(SimdOpcode.F32x4ExtractLane, new(F32, V, LaneCount: 4));
        One(SimdOpcode.F32x4ReplaceLane, new(V, V, F32, LaneCount: 4));
        One(SimdOpcode.F64x2ExtractLane, new(F64, V, LaneCount: 2));
        One(SimdOpcode.F64x2ReplaceLane, new(V, V, F64, LaneCount: 2));

        // Bitwise and tests.
        One(SimdOpcode.V128Not, new(V, V));
        One(SimdOpcode.V128Bitselect, new(V, V, V, V));
        foreach (var test in (ReadOnlySpan<SimdOpcode>)[
            SimdOpcode.V128AnyTrue,
            SimdOpcode.I8x16AllTrue, SimdOpcode.I16x8AllTrue, SimdOpcode.I32x4AllTrue, SimdOpcode.I64x2AllTrue,
            SimdOpcode.I8x16Bitmask, SimdOpcode.I16x8Bitmask, SimdOpcode.I32x4Bitmask, SimdOpcode.I64x2Bitmask])
            One(test, new(I32, V));

        // Shifts take the count as an i32.
        foreach (var shift in (ReadOnlySpan<SimdOpcode>)[
            SimdOpcode.I8x16Shl, SimdOpcode.I8x16ShrS, SimdOpcode.I8x16ShrU,
            SimdOpcode.I16x8Shl, SimdOpcode.I16x8ShrS, SimdOpcode.I16x8ShrU,
            SimdOpcode.I32x4Shl, SimdOpcode.I32x4ShrS, SimdOpcode.I32x4ShrU,
            SimdOpcode.I64x2Shl, SimdOpcode.I64x2ShrS, SimdOpcode.I64x2ShrU])
            One(shift, new(V, V, I32));

        // Unary operations on vectors.
        foreach (var unary in (ReadOnlySpan<SimdOpcode>)[
            SimdOpcode.I8x16Abs, SimdOpcode.I8x16Neg, SimdOpcode.I8x16Popcnt,
            SimdOpcode.I16x8Abs, SimdOpcode.I16x8Neg, SimdOpcode.I32x4Abs, SimdOpcode.I32x4Neg, SimdOpcode.I64x2Abs, SimdOpcode.I64x2Neg,
            SimdOpcode.I16x8ExtaddPairwiseI8x16S, SimdOpcode.I16x8ExtaddPairwiseI8x16U,
            SimdOpcode.I32x4ExtaddPairwiseI16x8S, SimdOpcode.I32x4ExtaddPairwiseI16x8U,
            SimdOpcode.I16x8ExtendLowI8x16S, SimdOpcode.I16x8ExtendHighI8x16S, SimdOpcode.I16x8ExtendLowI8x16U, SimdOpcode.I16x8ExtendHighI8x16U,
            SimdOpcode.I32x4ExtendLowI16x8S, SimdOpcode.I32x4ExtendHighI16x8S, SimdOpcode.I32x4ExtendLowI16x8U, SimdOpcode.I32x4ExtendHighI16x8U,
            SimdOpcode.I64x2ExtendLowI32x4S, SimdOpcode.I64x2ExtendHighI32x4S, SimdOpcode.I64x2ExtendLowI32x4U, SimdOpcode.I64x2ExtendHighI32x4U,
            SimdOpcode.F32x4Abs, SimdOpcode.F32x4Neg, SimdOpcode.F32x4Sqrt,
            SimdOpcode.F32x4Ceil, SimdOpcode.F32x4Floor, SimdOpcode.F32x4Trunc, SimdOpcode.F32x4Nearest,
            SimdOpcode.F64x2Abs, SimdOpcode.F64x2Neg, SimdOpcode.F64x2Sqrt,
            SimdOpcode.F64x2Ceil, SimdOpcode.F64x2Floor, SimdOpcode.F64x2Trunc, SimdOpcode.F64x2Nearest,
            SimdOpcode.I32x4TruncSatF32x4S, SimdOpcode.I32x4TruncSatF32x4U, SimdOpcode.F32x4ConvertI32x4S, SimdOpcode.F32x4ConvertI32x4U,
            SimdOpcode.I32x4TruncSatF64x2SZero, SimdOpcode.I32x4TruncSatF64x2UZero, SimdOpcode.F64x2ConvertLowI32x4S, SimdOpcode.F64x2ConvertLowI32x4U,
            SimdOpcode.F32x4DemoteF64x2Zero, SimdOpcode.F64x2PromoteLowF32x4])
            One(unary, new(V, V));
        return table;
    }
}
