using Interstice.Abi.Schema;

namespace Interstice.Abi;

/// <summary>A WebAssembly value type, as seen by the ABI's interface checks.</summary>
public enum WasmValueType : byte
{
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

/// <summary>What kind of thing a module imports or exports.</summary>
public enum WasmExternKind : byte
{
    Function,
    Table,
    Memory,
    Global,
}

/// <summary>A function type: parameters and results.</summary>
public sealed record WasmSignature(EquatableArray<WasmValueType> Parameters, EquatableArray<WasmValueType> Results)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"({string.Join(", ", Parameters.Select(Name))}) -> ({string.Join(", ", Results.Select(Name))})";

    private static string Name(WasmValueType type) => type.ToString().ToLowerInvariant();
}

/// <summary>One import of a module; <see cref="Signature"/> is set for functions.</summary>
public sealed record WasmImportInfo(string Module, string Name, WasmExternKind Kind, WasmSignature? Signature);

/// <summary>One export of a module; <see cref="Signature"/> is set for functions.</summary>
public sealed record WasmExportInfo(string Name, WasmExternKind Kind, WasmSignature? Signature);

/// <summary>
/// Checks that a module's imports and exports fit its schema and this ABI (docs/abi.md
/// section 12, steps 2 and 3): imports are host functions of section 9 with their exact
/// signatures; exports are the memory, the allocator pair and one function per reducer and query.
/// </summary>
public static class ModuleInterface
{
    private static readonly WasmSignature Entry = new([WasmValueType.I32, WasmValueType.I32], [WasmValueType.I32]);
    private static readonly WasmSignature AllocSignature = new([WasmValueType.I32, WasmValueType.I32], [WasmValueType.I32]);
    private static readonly WasmSignature FreeSignature = new([WasmValueType.I32, WasmValueType.I32, WasmValueType.I32], []);

    /// <summary>Every mismatch, each naming the import or export; empty when the module fits.</summary>
    public static IReadOnlyList<string> Check(ModuleSchema schema, IEnumerable<WasmImportInfo> imports, IEnumerable<WasmExportInfo> exports)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        foreach (var import in imports)
        {
            string what = $"import {import.Module}.{import.Name}";
            if (import.Module != HostCalls.ImportModule || import.Kind != WasmExternKind.Function)
            {
                errors.Add($"{what}: a module imports only host functions from '{HostCalls.ImportModule}' (docs/abi.md section 9)");
                continue;
            }
            var call = HostCalls.Find(import.Name);
            if (call is null) errors.Add($"{what}: there is no such host function");
            else if (import.Signature != call.Signature) errors.Add($"{what}: has type {import.Signature}, the host function has type {call.Signature}");
        }

        var byName = new Dictionary<string, WasmExportInfo>(StringComparer.Ordinal);
        foreach (var export in exports) byName[export.Name] = export;
        Expect(byName, Exports.Memory, WasmExternKind.Memory, null, errors);
        Expect(byName, Exports.Alloc, WasmExternKind.Function, AllocSignature, errors);
        Expect(byName, Exports.Free, WasmExternKind.Function, FreeSignature, errors);
        foreach (var reducer in schema.Reducers) Expect(byName, Exports.Reducer(reducer.Name), WasmExternKind.Function, Entry, errors);
        foreach (var query in schema.Queries) Expect(byName, Exports.Query(query.Name), WasmExternKind.Function, Entry, errors);
        foreach (string name in byName.Keys)
        {
            if (name.StartsWith(Exports.ReducerPrefix, StringComparison.Ordinal) && schema.FindReducer(name[Exports.ReducerPrefix.Length..]) is null)
                errors.Add($"export {name}: the schema has no reducer '{name[Exports.ReducerPrefix.Length..]}'");
            if (name.StartsWith(Exports.QueryPrefix, StringComparison.Ordinal) && schema.FindQuery(name[Exports.QueryPrefix.Length..]) is null)
                errors.Add($"export {name}: the schema has no query '{name[Exports.QueryPrefix.Length..]}'");
        }
        return errors;
    }

    private static void Expect(Dictionary<string, WasmExportInfo> exports, string name, WasmExternKind kind, WasmSignature? signature, List<string> errors)
    {
        if (!exports.TryGetValue(name, out var export)) errors.Add($"export {name} is missing");
        else if (export.Kind != kind) errors.Add($"export {name} is a {export.Kind.ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}");
        else if (signature is not null && export.Signature != signature) errors.Add($"export {name} has type {export.Signature}, expected {signature}");
    }
}
