using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>
/// Decodes the binary format (spec chapter 5) into a <see cref="ModuleDefinition"/>: the header,
/// every section in its order, and a well-formedness scan of every function body and constant
/// expression, so that the validator and the compiler can trust the encoding. Throws
/// <see cref="MalformedModuleException"/> naming the section, offset and reason. Every count read from the input is checked
/// against the bytes that remain before anything is allocated from it.
/// The sections are decoded by the partial files next to this one, one per section family.
/// </summary>
internal sealed partial class ModuleDecoder
{
    /// <summary>The most locals (not counting parameters) one function may declare.</summary>
    public const int MaxLocals = 50_000;

    private readonly byte[] _bytes;
    private readonly InstructionScanner _scanner = new();

    private ModuleDecoder(byte[] bytes) => _bytes = bytes;

    /// <summary>Decodes a whole module binary.</summary>
    public static ModuleDefinition Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new ModuleDecoder(bytes).DecodeModule();
    }

    private ModuleDefinition DecodeModule()
    {
        var sections = new SectionReader(_bytes);

        int lastRank = 0;
        bool hasCode = false, hasData = false;
        while (sections.MoveNext())
        {
            var id = sections.Id;
            int end = sections.End;
            if (id != SectionId.Custom)
            {
                int rank = id.OrderRank();
                if (rank <= lastRank)
                    throw sections.ErrorAt(sections.IdOffset, $"unexpected content after last section (a {id.DisplayName()} section cannot appear here: sections come once each, in order)");
                lastRank = rank;
            }

            var section = new WasmReader(_bytes, sections.Start, end, id.DisplayName());
            switch (id)
            {
                case SectionId.Custom: ReadCustomSection(ref section); break;
                case SectionId.Type: ReadTypeSection(ref section); break;
                case SectionId.Import: ReadImportSection(ref section); break;
                case SectionId.Function: ReadFunctionSection(ref section); break;
                case SectionId.Table: ReadTableSection(ref section); break;
                case SectionId.Memory: ReadMemorySection(ref section); break;
                case SectionId.Global: ReadGlobalSection(ref section); break;
                case SectionId.Export: ReadExportSection(ref section); break;
                case SectionId.Start: ReadStartSection(ref section); break;
                case SectionId.Element: ReadElementSection(ref section); break;
                case SectionId.DataCount: ReadDataCountSection(ref section); break;
                case SectionId.Code: ReadCodeSection(ref section); hasCode = true; break;
                case SectionId.Data: ReadDataSection(ref section); hasData = true; break;
            }
            if (section.Position != end) throw section.ErrorAt(section.Position, "section size mismatch");
        }

        if (!hasCode && _functionTypeIndices.Length != 0)
            throw new MalformedModuleException("module", _bytes.Length, $"function and code section have inconsistent lengths ({_functionTypeIndices.Length} functions declared, no code section)");
        if (!hasData && _dataCount is > 0)
            throw new MalformedModuleException("module", _bytes.Length, $"data count and data section have inconsistent lengths ({_dataCount} segments counted, no data section)");
        // Without a data count, code that names data segments cannot be validated in one pass (the data section comes after the code).
        if (_dataCount is null && _data.Length > 0 && _scanner.FirstDataSegmentUse >= 0)
            throw new MalformedModuleException("code", _scanner.FirstDataSegmentUse, "data count section required (memory.init and data.drop need one)");

        return new ModuleDefinition
        {
            Bytes = _bytes,
            Types = _types,
            Imports = _imports,
            FunctionTypeIndices = _functionTypeIndices,
            Tables = _tables,
            Memories = _memories,
            Globals = _globals,
            Exports = _exports,
            StartFunction = _startFunction,
            Elements = _elements,
            Data = _data,
            DataCount = _dataCount is { } count ? (int)count : null,
            Bodies = _bodies,
            Names = _names ?? ModuleNames.None,
            CustomSections = _customSections.ToArray(),
            Offsets = new EntryOffsets
            {
                Imports = _importOffsets,
                Functions = _functionOffsets,
                Tables = _tableOffsets,
                Memories = _memoryOffsets,
                Globals = _globalOffsets,
                Exports = _exportOffsets,
                Start = _startOffset,
            },
            ImportedFunctionCount = _importedFunctionCount,
            ImportedTableCount = _importedTableCount,
            ImportedMemoryCount = _importedMemoryCount,
            ImportedGlobalCount = _importedGlobalCount,
        };
    }
}
