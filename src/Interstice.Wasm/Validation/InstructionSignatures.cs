using Interstice.Wasm.Binary;

namespace Interstice.Wasm.Validation;

/// <summary>The operand types of an instruction that pops one or two operands and pushes one result.</summary>
/// <param name="First">The deeper operand (or the only one).</param>
/// <param name="Second">The top operand, or <see cref="OperandStack.Unknown"/> for unary instructions.</param>
/// <param name="Result">The pushed result.</param>
internal readonly record struct NumericSignature(ValueType First, ValueType Second, ValueType Result)
{
    public bool IsBinary => Second != OperandStack.Unknown;
}

/// <summary>A load or store: the value type moved and the natural alignment (log2 of the access size).</summary>
internal readonly record struct MemoryAccess(ValueType Type, byte NaturalAlignment);

/// <summary>
/// Tables of the fixed signatures of the numeric instructions (spec 3.3.1) and of the memory
/// accesses (spec 3.3.7), indexed by opcode byte, so that the validator handles each of those
/// instructions with one lookup.
/// </summary>
internal static class InstructionSignatures
{
    private const ValueType I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, F64 = ValueType.F64;
    private const ValueType None = OperandStack.Unknown;

    /// <summary>Signatures of the one-byte numeric opcodes 0x45 (i32.eqz) to 0xC4 (i64.extend32_s); default elsewhere.</summary>
    public static readonly NumericSignature[] Numeric = BuildNumeric();

    /// <summary>Signatures of the saturating truncations, 0xFC 0 to 0xFC 7.</summary>
    public static readonly NumericSignature[] SaturatingTruncations =
    [
        new(F32, None, I32), new(F32, None, I32), new(F64, None, I32), new(F64, None, I32),
        new(F32, None, I64), new(F32, None, I64), new(F64, None, I64), new(F64, None, I64),
    ];

    /// <summary>Loads (0x28 to 0x35) and stores (0x36 to 0x3E), indexed by <c>opcode - 0x28</c>.</summary>
    public static readonly MemoryAccess[] MemoryAccesses =
    [
        new(I32, 2), new(I64, 3), new(F32, 2), new(F64, 3), // i32/i64/f32/f64.load
        new(I32, 0), new(I32, 0), new(I32, 1), new(I32, 1), // i32.load8_s/u, i32.load16_s/u
        new(I64, 0), new(I64, 0), new(I64, 1), new(I64, 1), new(I64, 2), new(I64, 2), // i64.load8/16/32_s/u
        new(I32, 2), new(I64, 3), new(F32, 2), new(F64, 3), // i32/i64/f32/f64.store
        new(I32, 0), new(I32, 1), new(I64, 0), new(I64, 1), new(I64, 2), // i32.store8/16, i64.store8/16/32
    ];

    private static NumericSignature[] BuildNumeric()
    {
        var table = new NumericSignature[256];
        void Set(Opcode first, Opcode last, ValueType a, ValueType b, ValueType result)
        {
            for (int op = (int)first; op <= (int)last; op++) table[op] = new NumericSignature(a, b, result);
        }

        Set(Opcode.I32Eqz, Opcode.I32Eqz, I32, None, I32);
        Set(Opcode.I32Eq, Opcode.I32GeU, I32, I32, I32);
        Set(Opcode.I64Eqz, Opcode.I64Eqz, I64, None, I32);
        Set(Opcode.I64Eq, Opcode.I64GeU, I64, I64, I32);
        Set(Opcode.F32Eq, Opcode.F32Ge, F32, F32, I32);
        Set(Opcode.F64Eq, Opcode.F64Ge, F64, F64, I32);

        Set(Opcode.I32Clz, Opcode.I32Popcnt, I32, None, I32);
        Set(Opcode.I32Add, Opcode.I32Rotr, I32, I32, I32);
        Set(Opcode.I64Clz, Opcode.I64Popcnt, I64, None, I64);
        Set(Opcode.I64Add, Opcode.I64Rotr, I64, I64, I64);
        Set(Opcode.F32Abs, Opcode.F32Sqrt, F32, None, F32);
        Set(Opcode.F32Add, Opcode.F32Copysign, F32, F32, F32);
        Set(Opcode.F64Abs, Opcode.F64Sqrt, F64, None, F64);
        Set(Opcode.F64Add, Opcode.F64Copysign, F64, F64, F64);

        Set(Opcode.I32WrapI64, Opcode.I32WrapI64, I64, None, I32);
        Set(Opcode.I32TruncF32S, Opcode.I32TruncF32U, F32, None, I32);
        Set(Opcode.I32TruncF64S, Opcode.I32TruncF64U, F64, None, I32);
        Set(Opcode.I64ExtendI32S, Opcode.I64ExtendI32U, I32, None, I64);
        Set(Opcode.I64TruncF32S, Opcode.I64TruncF32U, F32, None, I64);
        Set(Opcode.I64TruncF64S, Opcode.I64TruncF64U, F64, None, I64);
        Set(Opcode.F32ConvertI32S, Opcode.F32ConvertI32U, I32, None, F32);
        Set(Opcode.F32ConvertI64S, Opcode.F32ConvertI64U, I64, None, F32);
        Set(Opcode.F32DemoteF64, Opcode.F32DemoteF64, F64, None, F32);
        Set(Opcode.F64ConvertI32S, Opcode.F64ConvertI32U, I32, None, F64);
        Set(Opcode.F64ConvertI64S, Opcode.F64ConvertI64U, I64, None, F64);
        Set(Opcode.F64PromoteF32, Opcode.F64PromoteF32, F32, None, F64);
        Set(Opcode.I32ReinterpretF32, Opcode.I32ReinterpretF32, F32, None, I32);
        Set(Opcode.I64ReinterpretF64, Opcode.I64ReinterpretF64, F64, None, I64);
        Set(Opcode.F32ReinterpretI32, Opcode.F32ReinterpretI32, I32, None, F32);
        Set(Opcode.F64ReinterpretI64, Opcode.F64ReinterpretI64, I64, None, F64);

        Set(Opcode.I32Extend8S, Opcode.I32Extend16S, I32, None, I32);
        Set(Opcode.I64Extend8S, Opcode.I64Extend32S, I64, None, I64);
        return table;
    }
}
