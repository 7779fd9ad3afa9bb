using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Wasm;

namespace Interstice.Cli.Commands.Schema;

/// <summary>
/// What a module binary declares: its schema, read from the <c>interstice.schema</c> custom
/// sections through the engine's decoder, and how its imports and exports fit the ABI.
/// </summary>
internal sealed record ModuleContract(ModuleSchema Schema, IReadOnlyList<string> InterfaceErrors)
{
    /// <summary>
    /// Decodes <paramref name="wasm"/> and reads its contract; throws <see cref="ModuleContractException"/>
    /// saying what is wrong with the module (not WebAssembly, no schema section, invalid schema).
    /// </summary>
    public static ModuleContract Read(byte[] wasm, Engine engine)
    {
        Module module;
        try
        {
            module = engine.Compile(wasm);
        }
        catch (WasmException e)
        {
            throw new ModuleContractException($"not a valid WebAssembly module: {e.Message}");
        }

        var sections = module.GetCustomSections(SchemaRecords.SectionName);
        if (sections.Count == 0)
            throw new ModuleContractException($"the module has no '{SchemaRecords.SectionName}' custom section: it was not built as an Interstice module (interstice_module!())");
        var payload = new List<byte>();
        foreach (var section in sections) payload.AddRange(section.Span);

        ModuleSchema schema;
        try
        {
            schema = SchemaRecords.Assemble(payload.ToArray());
        }
        catch (AbiDecodeException e)
        {
            throw new ModuleContractException($"the '{SchemaRecords.SectionName}' section is malformed {e.Message}");
        }
        catch (SchemaException e)
        {
            throw new ModuleContractException(e.Message);
        }

        var imports = module.Imports.Select(i => new WasmImportInfo(i.Module, i.Name, Convert(i.Kind), Convert(i.Function)));
        var exports = module.Exports.Select(e => new WasmExportInfo(e.Name, Convert(e.Kind), Convert(e.Function)));
        return new ModuleContract(schema, ModuleInterface.Check(schema, imports, exports));
    }

    private static WasmExternKind Convert(ExternalKind kind) => kind switch
    {
        ExternalKind.Function => WasmExternKind.Function,
        ExternalKind.Table => WasmExternKind.Table,
        ExternalKind.Memory => WasmExternKind.Memory,
        _ => WasmExternKind.Global,
    };

    private static WasmSignature? Convert(FunctionType? type) =>
        type is null ? null : new WasmSignature(Convert(type.Parameters), Convert(type.Results));

    private static EquatableArray<WasmValueType> Convert(ReadOnlySpan<Interstice.Wasm.ValueType> types)
    {
        var result = new WasmValueType[types.Length];
        for (int i = 0; i < types.Length; i++)
        {
            result[i] = types[i] switch
            {
                Interstice.Wasm.ValueType.I32 => WasmValueType.I32,
                Interstice.Wasm.ValueType.I64 => WasmValueType.I64,
                Interstice.Wasm.ValueType.F32 => WasmValueType.F32,
                Interstice.Wasm.ValueType.F64 => WasmValueType.F64,
                Interstice.Wasm.ValueType.V128 => WasmValueType.V128,
                Interstice.Wasm.ValueType.FuncRef => WasmValueType.FuncRef,
                _ => WasmValueType.ExternRef,
            };
        }
        return result;
    }
}

/// <summary>A module's contract cannot be read; the message says why.</summary>
internal sealed class ModuleContractException(string message) : Exception(message);
