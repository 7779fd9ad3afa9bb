using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Abi.Tests;

public class ModuleInterfaceTests
{
    private static readonly WasmValueType I32 = WasmValueType.I32;

    private static readonly ModuleSchema Schema = new(
        1, "m", "1.0.0", Visibility.Private, [], [], [],
        [new ReducerSchema("go", [new Field("n", AbiType.U32)])], [new QuerySchema("count", [], AbiType.U64)], [], []);

    private static WasmExportInfo Function(string name, WasmValueType[] parameters, WasmValueType[] results) =>
        new(name, WasmExternKind.Function, new WasmSignature(parameters, results));

    private static List<WasmExportInfo> GoodExports() =>
    [
        new("memory", WasmExternKind.Memory, null),
        Function("interstice_alloc", [I32, I32], [I32]),
        Function("interstice_free", [I32, I32, I32], []),
        Function("interstice_reducer.go", [I32, I32], [I32]),
        Function("interstice_query.count", [I32, I32], [I32]),
    ];

    private static WasmImportInfo HostImport(string name) =>
        new("interstice", name, WasmExternKind.Function, HostCalls.Find(name)!.Signature);

    [Fact]
    public void A_module_that_fits_has_no_errors() =>
        Assert.Empty(ModuleInterface.Check(Schema, [HostImport("table_get"), HostImport("time_now")], GoodExports()));

    [Fact]
    public void Imports_from_elsewhere_are_refused() =>
        Assert.Contains(ModuleInterface.Check(Schema, [new WasmImportInfo("env", "abort", WasmExternKind.Function, new WasmSignature([], []))], GoodExports()),
            e => e.StartsWith("import env.abort: a module imports only host functions from 'interstice'", StringComparison.Ordinal));

    [Fact]
    public void Unknown_host_functions_are_refused() =>
        Assert.Contains("import interstice.exit: there is no such host function",
            ModuleInterface.Check(Schema, [new WasmImportInfo("interstice", "exit", WasmExternKind.Function, new WasmSignature([], []))], GoodExports()));

    [Fact]
    public void Host_functions_with_another_signature_are_refused() =>
        Assert.Contains("import interstice.time_now: has type () -> (i32), the host function has type () -> (i64)",
            ModuleInterface.Check(Schema, [new WasmImportInfo("interstice", "time_now", WasmExternKind.Function, new WasmSignature([], [I32]))], GoodExports()));

    [Fact]
    public void Missing_and_mistyped_exports_are_named()
    {
        var exports = GoodExports();
        exports.RemoveAll(e => e.Name == "interstice_query.count");
        exports[exports.FindIndex(e => e.Name == "interstice_reducer.go")] = Function("interstice_reducer.go", [I32], [I32]);
        exports[exports.FindIndex(e => e.Name == "memory")] = new("memory", WasmExternKind.Global, null);

        var errors = ModuleInterface.Check(Schema, [], exports);

        Assert.Contains("export interstice_query.count is missing", errors);
        Assert.Contains("export interstice_reducer.go has type (i32) -> (i32), expected (i32, i32) -> (i32)", errors);
        Assert.Contains("export memory is a global, not a memory", errors);
    }

    [Fact]
    public void Entry_points_the_schema_does_not_declare_are_refused()
    {
        var exports = GoodExports();
        exports.Add(Function("interstice_reducer.hidden", [I32, I32], [I32]));
        exports.Add(Function("interstice_query.secret", [I32, I32], [I32]));

        var errors = ModuleInterface.Check(Schema, [], exports);

        Assert.Contains("export interstice_reducer.hidden: the schema has no reducer 'hidden'", errors);
        Assert.Contains("export interstice_query.secret: the schema has no query 'secret'", errors);
    }
}
