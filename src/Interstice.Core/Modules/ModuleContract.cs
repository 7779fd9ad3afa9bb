using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Wasm;

namespace Interstice.Core.Modules;

/// <summary>
/// What a module binary declares: its schema, read from the <c>interstice.schema</c> custom
/// sections without running any of its code, and how its imports and exports fit the ABI
/// (docs/abi.md sections 5, 6 and 12 steps 1 to 3).
/// </summary>
/// <param name="Module">The compiled module.</param>
/// <param name="Schema">Its canonical, validated schema.</param>
/// <param name="InterfaceErrors">Every mismatch between its imports and exports and the ABI; empty when it fits.</param>
public sealed record ModuleContract(Module Module, ModuleSchema Schema, IReadOnlyList<string> InterfaceErrors)
{
    /// <summary>
    /// Compiles <paramref name="wasm"/> and reads its contract; throws <see cref="ModuleContractException"/>
    /// saying what is wrong with the module (not WebAssembly, no schema section, invalid schema).
    /// </summary>
    public static ModuleContract Read(ReadOnlySpan<byte> wasm, Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Module module;
        try
        {
            module = engine.Compile(wasm);
        }
        catch (WasmException e)
        {
            throw new ModuleContractException($"not a valid WebAssembly module: {e.Message}");
        }
        return Read(module);
    }

    /// <summary>Reads the contract of a compiled module; throws <see cref="ModuleContractException"/> as <see cref="Read(ReadOnlySpan{byte}, Engine)"/> does.</summary>
    public static ModuleContract Read(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var schema = AssembleSchema(module.GetCustomSections(SchemaRecords.SectionName));
        var imports = new List<WasmImportInfo>(module.Imports.Count);
        foreach (var import in module.Imports) imports.Add(new WasmImportInfo(import.Module, import.Name, Convert(import.Kind), Convert(import.Function)));
        var exports = new List<WasmExportInfo>(module.Exports.Count);
        foreach (var export in module.Exports) exports.Add(new WasmExportInfo(export.Name, Convert(export.Kind), Convert(export.Function)));
        return new ModuleContract(module, schema, ModuleInterface.Check(schema, imports, exports));
    }

    /// <summary>
    /// Reads only the schema of <paramref name="wasm"/>, from its <c>interstice.schema</c> sections,
    /// without compiling it (nor checking its code or its interface); throws <see cref="ModuleContractException"/>
    /// as <see cref="Read(ReadOnlySpan{byte}, Engine)"/> does.
    /// </summary>
    internal static ModuleSchema ReadSchema(ReadOnlyMemory<byte> wasm)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> sections;
        try
        {
            sections = CustomSections.Read(wasm, SchemaRecords.SectionName);
        }
        catch (MalformedModuleException e)
        {
            throw new ModuleContractException($"not a valid WebAssembly module: {e.Message}");
        }
        return AssembleSchema(sections);
    }

    /// <summary>The schema the payloads of a module's <c>interstice.schema</c> sections make up.</summary>
    private static ModuleSchema AssembleSchema(IReadOnlyList<ReadOnlyMemory<byte>> sections)
    {
        if (sections.Count == 0)
            throw new ModuleContractException($"the module has no '{SchemaRecords.SectionName}' custom section: it was not built as an Interstice module (interstice_module!())");
        int length = 0;
        foreach (var section in sections) length += section.Length;
        var payload = new byte[length];
        int offset = 0;
        foreach (var section in sections)
        {
            section.Span.CopyTo(payload.AsSpan(offset));
            offset += section.Length;
        }

        try
        {
            return SchemaRecords.Assemble(payload);
        }
        catch (AbiDecodeException e)
        {
            throw new ModuleContractException($"the '{SchemaRecords.SectionName}' section is malformed {e.Message}");
        }
        catch (SchemaException e)
        {
            throw new ModuleContractException(e.Message);
        }
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
public sealed class ModuleContractException(string message) : Exception(message);
