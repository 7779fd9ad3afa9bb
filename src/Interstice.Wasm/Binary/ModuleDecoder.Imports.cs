using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Binary;

/// <summary>The import and export sections (spec 5.5.5, 5.5.10).</summary>
internal sealed partial class ModuleDecoder
{
    private ModuleImport[] _imports = [];
    private int[] _importOffsets = [], _exportOffsets = [];
    private int _importedFunctionCount, _importedTableCount, _importedMemoryCount, _importedGlobalCount;
    private ExportDescriptor[] _exports = [];

    private void ReadImportSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var imports = new ModuleImport[count];
        _importOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _importOffsets[i] = reader.Position;
            string module = reader.ReadName();
            string name = reader.ReadName();
            int kindOffset = reader.Position;
            byte kind = reader.ReadByte();
            switch (kind)
            {
                case (byte)ExternalKind.Function:
                    imports[i] = new ModuleImport(module, name, ExternalKind.Function, TypeIndex: reader.ReadIndex());
                    _importedFunctionCount++;
                    break;
                case (byte)ExternalKind.Table:
                    imports[i] = new ModuleImport(module, name, ExternalKind.Table, Table: ReadTableType(ref reader));
                    _importedTableCount++;
                    break;
                case (byte)ExternalKind.Memory:
                    imports[i] = new ModuleImport(module, name, ExternalKind.Memory, Memory: ReadMemoryType(ref reader));
                    _importedMemoryCount++;
                    break;
                case (byte)ExternalKind.Global:
                    imports[i] = new ModuleImport(module, name, ExternalKind.Global, Global: ReadGlobalType(ref reader));
                    _importedGlobalCount++;
                    break;
                default:
                    throw reader.ErrorAt(kindOffset, $"malformed import kind 0x{kind:x2}");
            }
        }
        _imports = imports;
    }

    private void ReadExportSection(ref WasmReader reader)
    {
        int count = reader.ReadCount();
        var exports = new ExportDescriptor[count];
        _exportOffsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            _exportOffsets[i] = reader.Position;
            string name = reader.ReadName();
            int kindOffset = reader.Position;
            byte kind = reader.ReadByte();
            if (kind > (byte)ExternalKind.Global) throw reader.ErrorAt(kindOffset, $"malformed export kind 0x{kind:x2}");
            exports[i] = new ExportDescriptor(name, (ExternalKind)kind, reader.ReadIndex());
        }
        _exports = exports;
    }
}
