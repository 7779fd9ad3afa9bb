using System.Runtime.CompilerServices;

namespace Interstice.Wasm.Binary;

/// <summary>
/// Checks that an expression (a function body or a constant expression) is well formed: every
/// opcode exists in WebAssembly 2.0, every immediate is well encoded, reserved bytes are zero,
/// <c>else</c> only follows an <c>if</c>, and blocks nest up to the <c>end</c> that closes the
/// expression. Types are not checked here: that is the validator's job. One instance is reused
/// for every expression of a module so that scanning does not allocate.
/// </summary>
internal sealed class InstructionScanner
{
    private enum Frame : byte
    {
        /// <summary>A block, loop, or the expression itself: <c>else</c> is not allowed.</summary>
        Plain,

        /// <summary>An <c>if</c> before its <c>else</c>.</summary>
        If,
    }

    private enum Immediates : byte
    {
        Illegal,
        None,
        BlockType,
        Else,
        End,
        Index,
        TwoIndices,
        BranchTable,
        TypedSelect,
        MemoryArgument,
        ZeroByte,
        I32,
        I64,
        F32,
        F64,
        ReferenceType,
        PrefixFC,
        PrefixSimd,
    }

    private static readonly Immediates[] ImmediatesByOpcode = BuildImmediatesTable();

    private Frame[] _frames = new Frame[32];

    /// <summary>
    /// Offset of the first <c>memory.init</c> or <c>data.drop</c> scanned, or -1: such code needs a
    /// data count section when the module has data segments.
    /// </summary>
    public int FirstDataSegmentUse { get; private set; } = -1;

    /// <summary>Scans from the reader's position through the <c>end</c> that closes the expression, leaving the reader after it.</summary>
    public void ScanExpression(ref WasmReader reader)
    {
        int depth = 0;
        _frames[0] = Frame.Plain;
        while (true)
        {
            int offset = reader.Position;
            byte opcode = reader.ReadByte();
            switch (ImmediatesByOpcode[opcode])
            {
                case Immediates.None:
                    break;
                case Immediates.BlockType:
                    reader.ReadBlockType();
                    if (++depth == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
                    _frames[depth] = opcode == (byte)Opcode.If ? Frame.If : Frame.Plain;
                    break;
                case Immediates.Else:
                    // The spec's grammar reads an `else` outside an `if` as the end of the enclosing instruction sequence, which then lacks its `end`.
                    if (_frames[depth] != Frame.If) throw reader.ErrorAt(offset, "END opcode expected (else without a matching if)");
                    _frames[depth] = Frame.Plain;
                    break;
                case Immediates.End:
                    if (depth-- == 0) return;
                    break;
                case Immediates.Index:
                    reader.ReadVarUInt32();
                    break;
                case Immediates.TwoIndices:
                    reader.ReadVarUInt32();
                    reader.ReadVarUInt32();
                    break;
                case Immediates.BranchTable:
                    int labelCount = reader.ReadCount();
                    for (int i = 0; i <= labelCount; i++) reader.ReadVarUInt32();
                    break;
                case Immediates.TypedSelect:
                    int typeCount = reader.ReadCount();
                    for (int i = 0; i < typeCount; i++) reader.ReadValueType();
                    break;
                case Immediates.MemoryArgument:
                    reader.ReadMemoryArgument();
                    break;
                case Immediates.ZeroByte:
                    reader.ReadZeroByte();
                    break;
                case Immediates.I32:
                    reader.ReadVarInt32();
                    break;
                case Immediates.I64:
                    reader.ReadVarInt64();
                    break;
                case Immediates.F32:
                    reader.ReadBytes(4);
                    break;
                case Immediates.F64:
                    reader.ReadBytes(8);
                    break;
                case Immediates.ReferenceType:
                    reader.ReadReferenceType();
                    break;
                case Immediates.PrefixFC:
                    reader.Position = offset;
                    ScanPrefixFC(ref reader, offset);
                    break;
                case Immediates.PrefixSimd:
                    reader.Position = offset;
                    ScanPrefixSimd(ref reader, offset);
                    break;
                default:
                    throw reader.ErrorAt(offset, IllegalOpcode(opcode));
            }
        }
    }

    private void ScanPrefixFC(ref WasmReader reader, int offset)
    {
        var opcode = reader.ReadOpcode();
        switch (opcode)
        {
            case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                break;
            case Opcode.MemoryInit:
                NoteDataSegmentUse(offset);
                reader.ReadVarUInt32();
                reader.ReadZeroByte();
                break;
            case Opcode.DataDrop:
                NoteDataSegmentUse(offset);
                reader.ReadVarUInt32();
                break;
            case Opcode.MemoryCopy:
                reader.ReadZeroByte();
                reader.ReadZeroByte();
                break;
            case Opcode.MemoryFill:
                reader.ReadZeroByte();
                break;
            case Opcode.TableInit:
            case Opcode.TableCopy:
                reader.ReadVarUInt32();
                reader.ReadVarUInt32();
                break;
            case Opcode.ElemDrop:
            case Opcode.TableGrow:
            case Opcode.TableSize:
            case Opcode.TableFill:
                reader.ReadVarUInt32();
                break;
            default:
                throw reader.ErrorAt(offset, IllegalOpcode((int)opcode));
        }
    }

    private static void ScanPrefixSimd(ref WasmReader reader, int offset)
    {
        var opcode = reader.ReadOpcode();
        var immediates = SimdImmediates.Of((uint)(opcode - Opcode.SimdBase));
        if (immediates == SimdImmediate.Illegal) throw reader.ErrorAt(offset, IllegalOpcode((int)opcode));
        reader.SkipSimdImmediates(immediates);
    }

    private void NoteDataSegmentUse(int offset)
    {
        if (FirstDataSegmentUse < 0) FirstDataSegmentUse = offset;
    }

    // Formatted apart from the scanning loop, which would otherwise set up interpolation buffers on every call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string IllegalOpcode(int opcode) =>
        opcode > 0xFF ? $"illegal opcode 0x{opcode >> 12:x2} {opcode & 0xFFF}" : $"illegal opcode 0x{opcode:x2}";

    private static Immediates[] BuildImmediatesTable()
    {
        var table = new Immediates[256];
        table[(int)Opcode.Unreachable] = Immediates.None;
        table[(int)Opcode.Nop] = Immediates.None;
        table[(int)Opcode.Block] = Immediates.BlockType;
        table[(int)Opcode.Loop] = Immediates.BlockType;
        table[(int)Opcode.If] = Immediates.BlockType;
        table[(int)Opcode.Else] = Immediates.Else;
        table[(int)Opcode.End] = Immediates.End;
        table[(int)Opcode.Br] = Immediates.Index;
        table[(int)Opcode.BrIf] = Immediates.Index;
        table[(int)Opcode.BrTable] = Immediates.BranchTable;
        table[(int)Opcode.Return] = Immediates.None;
        table[(int)Opcode.Call] = Immediates.Index;
        table[(int)Opcode.CallIndirect] = Immediates.TwoIndices;
        table[(int)Opcode.Drop] = Immediates.None;
        table[(int)Opcode.Select] = Immediates.None;
        table[(int)Opcode.SelectTyped] = Immediates.TypedSelect;
        for (int op = (int)Opcode.LocalGet; op <= (int)Opcode.TableSet; op++) table[op] = Immediates.Index;
        for (int op = (int)Opcode.I32Load; op <= (int)Opcode.I64Store32; op++) table[op] = Immediates.MemoryArgument;
        table[(int)Opcode.MemorySize] = Immediates.ZeroByte;
        table[(int)Opcode.MemoryGrow] = Immediates.ZeroByte;
        table[(int)Opcode.I32Const] = Immediates.I32;
        table[(int)Opcode.I64Const] = Immediates.I64;
        table[(int)Opcode.F32Const] = Immediates.F32;
        table[(int)Opcode.F64Const] = Immediates.F64;
        for (int op = (int)Opcode.I32Eqz; op <= (int)Opcode.I64Extend32S; op++) table[op] = Immediates.None;
        table[(int)Opcode.RefNull] = Immediates.ReferenceType;
        table[(int)Opcode.RefIsNull] = Immediates.None;
        table[(int)Opcode.RefFunc] = Immediates.Index;
        table[(int)Opcode.PrefixFC] = Immediates.PrefixFC;
        table[(int)Opcode.PrefixSimd] = Immediates.PrefixSimd;
        return table;
    }
}
