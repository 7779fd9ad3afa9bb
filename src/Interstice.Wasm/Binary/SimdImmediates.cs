namespace Interstice.Wasm.Binary;

/// <summary>What follows a SIMD opcode in the binary format (spec 5.4.8).</summary>
internal enum SimdImmediate : byte
{
    /// <summary>A reserved subopcode: no such instruction.</summary>
    Illegal,

    /// <summary>Nothing.</summary>
    None,

    /// <summary>A memory argument (loads and stores of a whole vector or of a splatted, extended or zero-extended scalar).</summary>
    MemoryArgument,

    /// <summary>A memory argument, then a lane index byte (<c>v128.loadN_lane</c>, <c>v128.storeN_lane</c>).</summary>
    MemoryArgumentAndLane,

    /// <summary>A lane index byte (<c>extract_lane</c>, <c>replace_lane</c>).</summary>
    Lane,

    /// <summary>16 bytes: the value of <c>v128.const</c>, or the lane indices of <c>i8x16.shuffle</c>.</summary>
    Bytes16,
}

/// <summary>The immediates of each SIMD instruction, by subopcode.</summary>
internal static class SimdImmediates
{
    private static readonly SimdImmediate[] s_bySubopcode = Build();

    /// <summary>The immediates of <paramref name="subopcode"/>; <see cref="SimdImmediate.Illegal"/> for every value that is no instruction.</summary>
    public static SimdImmediate Of(uint subopcode) => subopcode < (uint)s_bySubopcode.Length ? s_bySubopcode[subopcode] : SimdImmediate.Illegal;

    private static SimdImmediate[] Build()
    {
        var table = new SimdImmediate[256];
        foreach (var opcode in Enum.GetValues<SimdOpcode>()) table[(int)opcode] = SimdImmediate.None;
        for (int op = (int)SimdOpcode.V128Load; op <= (int)SimdOpcode.V128Store; op++) table[op] = SimdImmediate.MemoryArgument;
        table[(int)SimdOpcode.V128Load32Zero] = SimdImmediate.MemoryArgument;
        table[(int)SimdOpcode.V128Load64Zero] = SimdImmediate.MemoryArgument;
        for (int op = (int)SimdOpcode.V128Load8Lane; op <= (int)SimdOpcode.V128Store64Lane; op++) table[op] = SimdImmediate.MemoryArgumentAndLane;
        for (int op = (int)SimdOpcode.I8x16ExtractLaneS; op <= (int)SimdOpcode.F64x2ReplaceLane; op++) table[op] = SimdImmediate.Lane;
        table[(int)SimdOpcode.V128Const] = SimdImmediate.Bytes16;
        table[(int)SimdOpcode.I8x16Shuffle] = SimdImmediate.Bytes16;
        return table;
    }
}
