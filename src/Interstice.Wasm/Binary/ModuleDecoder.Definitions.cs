using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>The sections that define functions, tables, memories, globals and the start function (spec 5.5.6 to 5.5.9, 5.5.11).</summary>
internal sealed partial class ModuleDecoder
{
    private int[] _functionTypeIndices = [];
    private TableType[] _tables = [];
    private MemoryType[] _memories = [];
    private GlobalDefinition[] _globals = [];
    private int? _startFunction;
    private int[] _functionOffsets = [], _tableOffsets = [], _memoryOffsets = [], _globalOffsets = [];
    private int _startOffset;

    private void ReadFunctionSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var indices = new int[count];
        _functionOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _functionOffsets[i] = reader.Position;
            indices[i] = reader.ReadIndex();
        }
        _functionTypeIndices = indices;
    }

    private void ReadTableSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var tables = new TableType[count];
        _tableOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _tableOffsets[i] = reader.Position;
            tables[i] = ReadTableType(ref reader);
        }
        _tables = tables;
    }

    private void ReadMemorySection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var memories = new MemoryType[count];
        _memoryOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _memoryOffsets[i] = reader.Position;
            memories[i] = ReadMemoryType(ref reader);
        }
        _memories = memories;
    }

    private void ReadGlobalSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var globals = new GlobalDefinition[count];
        _globalOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _globalOffsets[i] = reader.Position;
            var type = ReadGlobalType(ref reader);
            globals[i] = new GlobalDefinition(type, ReadConstantExpression(ref reader));
        }
        _globals = globals;
    }

    private void ReadStartSection(ref WasmReader reader)
    {
        _startOffset = reader.Position;
        _startFunction = reader.ReadIndex();
    }

    /// <summary>A constant expression: its instructions up to the final <c>end</c>, checked for well-formedness only.</summary>
    private ConstantExpression ReadConstantExpression(ref WasmReader reader)
    {
        int start = reader.Position;
        _scanner.ScanExpression(ref reader);
        return new ConstantExpression(start, reader.Position - start);
    }
}
