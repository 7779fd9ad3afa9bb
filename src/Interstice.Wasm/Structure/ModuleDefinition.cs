namespace Interstice.Wasm.Structure;

/// <summary>
/// A decoded module (spec section 2, "Structure"), immutable after decoding, except for the facts
/// validation records in each <see cref="FunctionBody"/>. Function bodies and constant expressions
/// are not pre-parsed: they are byte ranges of <see cref="Bytes"/> that the validator and the
/// compiler read with <see cref="Binary.WasmReader"/>.
/// Index spaces follow the spec: imports come first, then the module's own definitions.
/// </summary>
internal sealed class ModuleDefinition
{
    public required byte[] Bytes { get; init; }
    public required FunctionType[] Types { get; init; }
    public required ModuleImport[] Imports { get; init; }

    /// <summary>Type index of each function defined by the module (function section), in order.</summary>
    public required int[] FunctionTypeIndices { get; init; }
    public required TableType[] Tables { get; init; }
    public required MemoryType[] Memories { get; init; }
    public required GlobalDefinition[] Globals { get; init; }
    public required ExportDescriptor[] Exports { get; init; }
    public required int? StartFunction { get; init; }
    public required ElementSegment[] Elements { get; init; }
    public required DataSegment[] Data { get; init; }

    /// <summary>The data count section's value, when present (needed to validate memory.init and data.drop).</summary>
    public required int? DataCount { get; init; }

    /// <summary>One body per defined function, same order as <see cref="FunctionTypeIndices"/>.</summary>
    public required FunctionBody[] Bodies { get; init; }
    public required ModuleNames Names { get; init; }
    public required CustomSection[] CustomSections { get; init; }

    /// <summary>Where each section entry starts in <see cref="Bytes"/>, so that errors can point at it.</summary>
    public EntryOffsets Offsets { get; init; } = EntryOffsets.None;

    public int ImportedFunctionCount { get; init; }
    public int ImportedTableCount { get; init; }
    public int ImportedMemoryCount { get; init; }
    public int ImportedGlobalCount { get; init; }

    public int FunctionCount => ImportedFunctionCount + FunctionTypeIndices.Length;
    public int TableCount => ImportedTableCount + Tables.Length;
    public int MemoryCount => ImportedMemoryCount + Memories.Length;
    public int GlobalCount => ImportedGlobalCount + Globals.Length;

    /// <summary>Type of function <paramref name="functionIndex"/> in the function index space (imports first).</summary>
    public FunctionType GetFunctionType(int functionIndex) => Types[GetFunctionTypeIndex(functionIndex)];

    public int GetFunctionTypeIndex(int functionIndex) =>
        functionIndex < ImportedFunctionCount
            ? ImportedFunctions[functionIndex].TypeIndex
            : FunctionTypeIndices[functionIndex - ImportedFunctionCount];

    public TableType GetTableType(int tableIndex) =>
        tableIndex < ImportedTableCount ? ImportedTables[tableIndex].Table! : Tables[tableIndex - ImportedTableCount];

    public MemoryType GetMemoryType(int memoryIndex) =>
        memoryIndex < ImportedMemoryCount ? ImportedMemories[memoryIndex].Memory! : Memories[memoryIndex - ImportedMemoryCount];

    public GlobalType GetGlobalType(int globalIndex) =>
        globalIndex < ImportedGlobalCount ? ImportedGlobals[globalIndex].Global!.Value : Globals[globalIndex - ImportedGlobalCount].Type;

    /// <summary>Function imports in order (index i is function i).</summary>
    public ModuleImport[] ImportedFunctions => _importedFunctions ??= Imports.Where(i => i.Kind == ExternalKind.Function).ToArray();
    public ModuleImport[] ImportedTables => _importedTables ??= Imports.Where(i => i.Kind == ExternalKind.Table).ToArray();
    public ModuleImport[] ImportedMemories => _importedMemories ??= Imports.Where(i => i.Kind == ExternalKind.Memory).ToArray();
    public ModuleImport[] ImportedGlobals => _importedGlobals ??= Imports.Where(i => i.Kind == ExternalKind.Global).ToArray();

    private ModuleImport[]? _importedFunctions, _importedTables, _importedMemories, _importedGlobals;
}

/// <summary>An import as decoded: like <see cref="ImportDescriptor"/> but functions carry their type index.</summary>
internal sealed record ModuleImport(
    string Module,
    string Name,
    ExternalKind Kind,
    int TypeIndex = -1,
    TableType? Table = null,
    MemoryType? Memory = null,
    GlobalType? Global = null);

/// <summary>A global defined by the module: its type and initializer.</summary>
internal sealed record GlobalDefinition(GlobalType Type, ConstantExpression Initializer);

/// <summary>
/// A constant expression (global initializer, segment offset, element item) as a byte range of
/// the module, starting at its first instruction and including the final <c>end</c>.
/// </summary>
internal readonly record struct ConstantExpression(int Offset, int Length);

/// <summary>A function body: its declared locals (run-length encoded as in the binary) and its code.</summary>
/// <param name="Offset">Byte offset of the body (after its size prefix) in the module.</param>
/// <param name="Locals">Local declarations in order: each is a count of locals of one type.</param>
/// <param name="LocalCount">Total number of declared locals (not counting parameters).</param>
/// <param name="CodeOffset">Byte offset of the first instruction.</param>
/// <param name="CodeLength">Bytes of code, including the final <c>end</c>.</param>
internal sealed record FunctionBody(int Offset, LocalDeclaration[] Locals, int LocalCount, int CodeOffset, int CodeLength)
{
    /// <summary>
    /// The most operands the body ever has on its stack (over all blocks, parameters and locals
    /// not counted), found by validation; -1 until the module has been validated.
    /// </summary>
    public int MaxStackHeight { get; set; } = -1;

    /// <summary>The deepest nesting of blocks, loops and ifs in the body (the body itself is depth 1), found by validation; -1 until then.</summary>
    public int MaxControlDepth { get; set; } = -1;
}

internal readonly record struct LocalDeclaration(int Count, ValueType Type);

internal enum SegmentMode : byte
{
    Active,
    Passive,
    Declarative,
}

/// <summary>
/// An element segment. Items are either plain function indices (<see cref="FunctionIndices"/>)
/// or constant expressions (<see cref="Expressions"/>), depending on the binary encoding used.
/// </summary>
internal sealed record ElementSegment(
    SegmentMode Mode,
    ValueType ElementType,
    int TableIndex,
    ConstantExpression? Offset,
    int[]? FunctionIndices,
    ConstantExpression[]? Expressions,
    int ByteOffset)
{
    public int Count => FunctionIndices?.Length ?? Expressions!.Length;
}

/// <summary>A data segment: its bytes are a range of the module binary.</summary>
internal sealed record DataSegment(
    SegmentMode Mode,
    int MemoryIndex,
    ConstantExpression? Offset,
    int DataOffset,
    int DataLength,
    int ByteOffset);

/// <summary>A custom section: its name and the range of its payload.</summary>
internal sealed record CustomSection(string Name, int PayloadOffset, int PayloadLength);

/// <summary>Names from the custom <c>name</c> section; empty when the module has none (or a broken one).</summary>
internal sealed class ModuleNames
{
    public static readonly ModuleNames None = new();

    public string? ModuleName { get; init; }
    public IReadOnlyDictionary<int, string> FunctionNames { get; init; } = new Dictionary<int, string>();

    /// <summary>Local names per function index.</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<int, string>> LocalNames { get; init; } =
        new Dictionary<int, IReadOnlyDictionary<int, string>>();

    public string? GetFunctionName(int functionIndex) =>
        FunctionNames.TryGetValue(functionIndex, out var name) ? name : null;
}
