using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Modules;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Modules;

/// <summary>
/// Binding a module compiles each of its named types once, for its rows, columns, reducers and
/// queries together: a row of F columns of one struct with K fields costs work in F + K, not F * K
/// (a hostile schema of a few dozen kilobytes once took gigabytes at load).
/// </summary>
public class ValidatorSharingTests
{
    [Fact]
    public void Binding_a_wide_row_costs_work_linear_in_the_schema()
    {
        Bind(Wide(columns: 20, fields: 20)); // the code paths run once before counting

        long half = Bind(Wide(columns: 600, fields: 600));
        long full = Bind(Wide(columns: 1200, fields: 1200));

        // Linear work doubles with the schema; compiling the struct once per column quadruples.
        Assert.True(full < 3 * half, $"binding F = K = 1,200 allocated {full} bytes, F = K = 600 {half}");
    }

    [Fact]
    public void Reducers_and_queries_reuse_the_named_types_the_tables_compiled()
    {
        var schema = Wide(columns: 4, fields: 2000);
        var validators = schema.Validators;
        long table = Allocated(() => new TableBinding("wide", schema.Tables[0], schema));
        long functions = Allocated(() =>
        {
            new FunctionBinding("wide", 0, schema.Reducers[0], isHandler: false, validators);
            new FunctionBinding("wide", 0, schema.Queries[0], validators);
        });

        Assert.Same(validators, schema.Validators);
        Assert.True(functions * 20 < table, $"a reducer taking S and a query returning it allocated {functions} bytes; the table that compiled S {table}");
    }

    [Fact]
    public void Rows_of_a_wide_table_are_checked_and_read_through_the_shared_validators()
    {
        var schema = Wide(columns: 3, fields: 2);
        var table = new TableBinding("wide", schema.Tables[0], schema);
        var s = new NamedType("S");
        // id, then three S: (some 7, none), (none, none), (some 1, some 2).
        byte[] row = [42, 0, 0, 0, 0, 0, 0, 0, 1, 7, 0, 0, 0, 1, 1, 1, 2];

        table.Layout.Validate(row);
        Assert.Equal("{\"f0\":1,\"f1\":2}", ValueJson.Format(s, table.Layout.ReadColumn(row, 3), schema.TypeTable));

        byte[] badTag = (byte[])row.Clone();
        badTag[11] = 2;
        var error = Assert.Throws<InvalidRowException>(() => table.Layout.Validate(badTag));
        Assert.Contains("11: option tag must be 0 or 1, found 0x02", error.Message);
    }

    /// <summary>A module whose table's row is an id and <paramref name="columns"/> columns of <c>S</c>, a struct of <paramref name="fields"/> <c>option&lt;u8&gt;</c>; a reducer takes an S and a query returns one.</summary>
    private static ModuleSchema Wide(int columns, int fields)
    {
        var types = new StringBuilder("""[{ "name": "S", "struct": [""");
        for (int i = 0; i < fields; i++) types.Append(i > 0 ? "," : "").Append($$"""{ "name": "f{{i}}", "type": "option<u8>" }""");
        types.Append("""]}, { "name": "Row", "struct": [{ "name": "id", "type": "u64" }""");
        for (int i = 0; i < columns; i++) types.Append($$""", { "name": "c{{i}}", "type": "S" }""");
        types.Append("]}]");
        return SchemaJson.Parse($$"""
            { "abi_version": 1, "name": "wide", "version": "0.1.0", "visibility": "public", "authorities": [],
              "types": {{types}},
              "tables": [{ "name": "rows", "row": "Row", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }],
              "reducers": [{ "name": "put", "args": [{ "name": "s", "type": "S" }] }],
              "queries": [{ "name": "get", "args": [], "returns": "S" }],
              "subscriptions": [], "dependencies": [] }
            """);
    }

    /// <summary>What the node's load builds from a schema: its tables' bindings, then its reducers' and queries'.</summary>
    private static long Bind(ModuleSchema schema) => Allocated(() =>
    {
        var validators = schema.Validators;
        new TableBinding("wide", schema.Tables[0], schema);
        new FunctionBinding("wide", 0, schema.Reducers[0], isHandler: false, validators);
        new FunctionBinding("wide", 0, schema.Queries[0], validators);
    });

    private static long Allocated(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
