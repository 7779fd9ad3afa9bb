using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>Readers for the encodings used by types and instructions (spec 5.3 and 5.4).</summary>
internal ref partial struct WasmReader
{
    /// <summary>A value type (spec 5.3.4): a number type, <c>v128</c> or a reference type.</summary>
    public ValueType ReadValueType()
    {
        int start = _position;
        byte b = ReadByte();
        switch (b)
        {
            case (byte)ValueType.I32:
            case (byte)ValueType.I64:
            case (byte)ValueType.F32:
            case (byte)ValueType.F64:
            case (byte)ValueType.V128:
            case (byte)ValueType.FuncRef:
            case (byte)ValueType.ExternRef:
                return (ValueType)b;
            default:
                throw ErrorAt(start, "malformed value type");
        }
    }

    /// <summary>A reference type (spec 5.3.3): <c>funcref</c> or <c>externref</c>.</summary>
    public ValueType ReadReferenceType()
    {
        int start = _position;
        byte b = ReadByte();
        if (b is (byte)ValueType.FuncRef or (byte)ValueType.ExternRef) return (ValueType)b;
        throw ErrorAt(start, "malformed reference type");
    }

    /// <summary>A block type (spec 5.4.1): <c>0x40</c>, a value type, or a non-negative s33 type index.</summary>
    public BlockType ReadBlockType()
    {
        byte b = PeekByte();
        if (b == 0x40)
        {
            _position++;
            return BlockType.Empty;
        }
        // One byte in 0x40..0x7F is a negative s33: a value type (or nothing valid).
        if ((b & 0xC0) == 0x40) return BlockType.OfResult(ReadValueType());
        int start = _position;
        long index = ReadVarInt33();
        if (index < 0) throw ErrorAt(start, "malformed block type");
        return BlockType.OfTypeIndex((uint)index);
    }

    /// <summary>The alignment and offset of a load or store (spec 5.4.6).</summary>
    public MemoryArgument ReadMemoryArgument()
    {
        uint align = ReadVarUInt32();
        uint offset = ReadVarUInt32();
        return new MemoryArgument(align, offset);
    }

    /// <summary>A reserved byte that must be zero (memory index of <c>memory.size</c>, <c>memory.grow</c>, ...).</summary>
    public void ReadZeroByte()
    {
        int start = _position;
        if (ReadByte() != 0) throw ErrorAt(start, "zero byte expected");
    }

    /// <summary>
    /// An opcode: one byte, or a prefix byte (<c>0xFC</c>, <c>0xFD</c>) followed by a u32
    /// subopcode, returned as <c>prefix &lt;&lt; 12 | subopcode</c> (see <see cref="Opcode"/>).
    /// Whether the opcode exists is for the caller to check.
    /// </summary>
    public Opcode ReadOpcode()
    {
        byte b = ReadByte();
        if (b is not ((byte)Opcode.PrefixFC or (byte)Opcode.PrefixSimd)) return (Opcode)b;
        int start = _position - 1;
        uint sub = ReadVarUInt32();
        if (sub > 0xFFF) throw ErrorAt(start, "illegal opcode");
        return (Opcode)((b << 12) | (int)sub);
    }
}
