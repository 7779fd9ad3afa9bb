using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>The type section and the encodings of types (spec 5.3, 5.5.4).</summary>
internal sealed partial class ModuleDecoder
{
    private const byte FunctionTypeForm = 0x60;

    private FunctionType[] _types = [];
    private ValueType[] _valueTypeScratch = new ValueType[16];

    private void ReadTypeSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var types = new FunctionType[count];
        for (int i = 0; i < count; i++)
        {
            int formOffset = reader.Position;
            byte form = reader.ReadByte();
            if (form != FunctionTypeForm)
            {
                // The form is a one-byte signed LEB128 in the spec's grammar, hence the LEB wording for a continuation bit.
                throw reader.ErrorAt(formOffset, (form & 0x80) != 0 ? "integer representation too long" : $"malformed function type 0x{form:x2}");
            }
            int parameterCount = ReadValueTypes(ref reader, 0);
            int resultCount = ReadValueTypes(ref reader, parameterCount);
            types[i] = new FunctionType(
                _valueTypeScratch.AsSpan(0, parameterCount),
                _valueTypeScratch.AsSpan(parameterCount, resultCount));
        }
        _types = types;
    }

    /// <summary>Reads a vector of value types into the scratch buffer at <paramref name="at"/>; returns its length.</summary>
    private int ReadValueTypes(ref WasmReader reader, int at)
    {
        int count = reader.ReadCount();
        if (_valueTypeScratch.Length < at + count) Array.Resize(ref _valueTypeScratch, Math.Max(at + count, _valueTypeScratch.Length * 2));
        for (int i = 0; i < count; i++) _valueTypeScratch[at + i] = reader.ReadValueType();
        return count;
    }

    /// <summary>Limits (spec 5.3.7): a flag (0: minimum only, 1: minimum and maximum) then u32 values.</summary>
    private static Limits ReadLimits(ref WasmReader reader)
    {
        int flagOffset = reader.Position;
        byte flag = reader.ReadByte();
        // The flag is a one-byte LEB128 in the spec's grammar: a continuation bit makes it too long, other values too large.
        if ((flag & 0x80) != 0) throw reader.ErrorAt(flagOffset, "integer representation too long");
        if (flag > 1) throw reader.ErrorAt(flagOffset, $"integer too large (limits flag {flag})");
        uint minimum = reader.ReadVarUInt32();
        uint? maximum = flag == 1 ? reader.ReadVarUInt32() : null;
        return new Limits(minimum, maximum);
    }

    private static TableType ReadTableType(ref WasmReader reader)
    {
        var elementType = reader.ReadReferenceType();
        return new TableType(elementType, ReadLimits(ref reader));
    }

    private static MemoryType ReadMemoryType(ref WasmReader reader) => new(ReadLimits(ref reader));

    private static GlobalType ReadGlobalType(ref WasmReader reader)
    {
        var valueType = reader.ReadValueType();
        int mutabilityOffset = reader.Position;
        byte mutability = reader.ReadByte();
        if (mutability > 1) throw reader.ErrorAt(mutabilityOffset, $"malformed mutability 0x{mutability:x2}");
        return new GlobalType(valueType, mutability == 1);
    }
}
