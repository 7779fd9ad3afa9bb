using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>The element, data count and data sections (spec 5.5.12, 5.5.14, 5.5.15).</summary>
internal sealed partial class ModuleDecoder
{
    private ElementSegment[] _elements = [];
    private DataSegment[] _data = [];
    private uint? _dataCount;

    // Element segment flags: bit 0 = passive or declarative, bit 1 = explicit table index (active)
    // or declarative (otherwise), bit 2 = items are expressions rather than function indices.
    private const uint ElementNotActive = 1, ElementExplicitTableOrDeclarative = 2, ElementExpressions = 4;
    private const byte ElementKindFuncRef = 0x00;

    private void ReadElementSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var elements = new ElementSegment[count];
        for (int i = 0; i < count; i++)
        {
            int segmentOffset = reader.Position;
            uint flags = reader.ReadVarUInt32();
            if (flags > 7) throw reader.ErrorAt(segmentOffset, $"malformed elements segment kind {flags}");

            bool active = (flags & ElementNotActive) == 0;
            bool usesExpressions = (flags & ElementExpressions) != 0;
            var mode = active ? SegmentMode.Active
                : (flags & ElementExplicitTableOrDeclarative) != 0 ? SegmentMode.Declarative : SegmentMode.Passive;
            int tableIndex = active && (flags & ElementExplicitTableOrDeclarative) != 0 ? reader.ReadIndex() : 0;
            ConstantExpression? offset = active ? ReadConstantExpression(ref reader) : null;

            // Flags 0 and 4 imply funcref; the others spell out an elemkind (index form) or a reference type (expression form).
            var elementType = ValueType.FuncRef;
            if ((flags & (ElementNotActive | ElementExplicitTableOrDeclarative)) != 0)
            {
                if (usesExpressions)
                {
                    elementType = reader.ReadReferenceType();
                }
                else
                {
                    int kindOffset = reader.Position;
                    byte kind = reader.ReadByte();
                    if (kind != ElementKindFuncRef) throw reader.ErrorAt(kindOffset, $"malformed element kind 0x{kind:x2}");
                }
            }

            int itemCount = reader.ReadCount();
            if (usesExpressions)
            {
                var expressions = new ConstantExpression[itemCount];
                for (int j = 0; j < itemCount; j++) expressions[j] = ReadConstantExpression(ref reader);
                elements[i] = new ElementSegment(mode, elementType, tableIndex, offset, null, expressions, segmentOffset);
            }
            else
            {
                var functions = new int[itemCount];
                for (int j = 0; j < itemCount; j++) functions[j] = reader.ReadIndex();
                elements[i] = new ElementSegment(mode, elementType, tableIndex, offset, functions, null, segmentOffset);
            }
        }
        _elements = elements;
    }

    private void ReadDataCountSection(ref WasmReader reader)
    {
        _dataCount = reader.ReadVarUInt32();
    }

    private void ReadDataSection(ref WasmReader reader)
    {
        int countOffset = reader.Position;
        int count = reader.ReadCount();
        if (_dataCount is { } declared && declared != (uint)count)
            throw reader.ErrorAt(countOffset, $"data count and data section have inconsistent lengths ({declared} counted, {count} present)");
        var data = new DataSegment[count];
        for (int i = 0; i < count; i++)
        {
            int segmentOffset = reader.Position;
            uint flags = reader.ReadVarUInt32();
            SegmentMode mode;
            int memoryIndex = 0;
            ConstantExpression? offset = null;
            switch (flags)
            {
                case 0:
                    mode = SegmentMode.Active;
                    offset = ReadConstantExpression(ref reader);
                    break;
                case 1:
                    mode = SegmentMode.Passive;
                    break;
                case 2:
                    mode = SegmentMode.Active;
                    memoryIndex = reader.ReadIndex();
                    offset = ReadConstantExpression(ref reader);
                    break;
                default:
                    throw reader.ErrorAt(segmentOffset, $"malformed data segment kind {flags}");
            }
            int length = reader.ReadCount();
            int dataOffset = reader.Position;
            reader.ReadBytes(length);
            data[i] = new DataSegment(mode, memoryIndex, offset, dataOffset, length, segmentOffset);
        }
        _data = data;
    }
}
