using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Cli.Tests.TestSupport;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Cli.Tests.Schema;

public class SchemaCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("interstice-schema-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_temp, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An empty WebAssembly module with the given custom sections.</summary>
    private static byte[] Module(params (string Name, byte[] Payload)[] customSections)
    {
        byte[] bytes = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
        foreach (var (name, payload) in customSections) bytes = [.. bytes, .. Bytes.CustomSection(name, payload)];
        return bytes;
    }

    [Fact]
    public void Prints_a_listing_by_default()
    {
        var (exit, output, _) = Repository.Cli("schema", Repository.ExampleModule("hello"));

        Assert.Equal(0, exit);
        Assert.StartsWith("module hello 0.1.0 (public, abi 1)", output);
        Assert.Contains("index name: hash unique (name)", output);
    }

    [Fact]
    public void Prints_the_json_form()
    {
        var (exit, output, _) = Repository.Cli("schema", Repository.ExampleModule("hello"), "--json");

        Assert.Equal(0, exit);
        var schema = SchemaJson.Parse(output);
        Assert.Equal("hello", schema.Name);
        Assert.Equal(output, SchemaJson.Format(schema));
    }

    [Fact]
    public void Saves_json_or_the_canonical_binary()
    {
        string json = Path.Combine(_temp, "hello.json");
        string binary = Path.Combine(_temp, "hello.schema");

        Assert.Equal(0, Repository.Cli("schema", Repository.ExampleModule("hello"), "--json", "--out", json).Exit);
        Assert.Equal(0, Repository.Cli("schema", Repository.ExampleModule("hello"), "--out", binary).Exit);

        Assert.Equal(SchemaJson.Parse(File.ReadAllText(json)), SchemaBinary.Decode(File.ReadAllBytes(binary)));
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        var (exit, _, error) = Repository.Cli("schema", Path.Combine(_temp, "nope.wasm"));

        Assert.Equal(1, exit);
        Assert.Contains("cannot read", error);
    }

    [Fact]
    public void A_file_that_is_not_webassembly_is_reported()
    {
        var (exit, _, error) = Repository.Cli("schema", Write("text.wasm", "hello"u8.ToArray()));

        Assert.Equal(1, exit);
        Assert.Contains("not a valid WebAssembly module", error);
    }

    [Fact]
    public void A_module_without_a_schema_is_reported()
    {
        var (exit, _, error) = Repository.Cli("schema", Write("plain.wasm", Module()));

        Assert.Equal(1, exit);
        Assert.Contains("has no 'interstice.schema' custom section", error);
    }

    [Fact]
    public void A_malformed_schema_section_names_the_offset()
    {
        var (exit, _, error) = Repository.Cli("schema", Write("bad.wasm", Module(("interstice.schema", [1, 200, 1]))));

        Assert.Equal(1, exit);
        Assert.Contains("section is malformed at byte 1: length 200 exceeds", error);
    }

    [Fact]
    public void An_invalid_schema_lists_its_problems()
    {
        var schema = new ModuleSchema(1, "9lives", "1", Visibility.Private, [], [], [], [], [], [], []);

        var (exit, _, error) = Repository.Cli("schema", Write("invalid.wasm", Module(("interstice.schema", SchemaRecords.Encode(schema)))));

        Assert.Equal(1, exit);
        Assert.Contains("module name '9lives' must match", error);
        Assert.Contains("version '1' is not a semantic version", error);
    }

    [Fact]
    public void Records_split_over_several_sections_are_read_as_one()
    {
        var schema = new ModuleSchema(1, "m", "1.0.0", Visibility.Private, [], [], [], [new ReducerSchema("go", [])], [], [], []);
        byte[] records = SchemaRecords.Encode(schema);
        int split = records.Length / 2 + 3;

        var (exit, _, error) = Repository.Cli("schema", Write("split.wasm", Module(("interstice.schema", records[..split]), ("interstice.schema", records[split..]))));

        // The records assemble; the empty module then lacks the exports the schema promises.
        Assert.Equal(1, exit);
        Assert.Contains("export memory is missing", error);
        Assert.Contains($"export {Exports.Reducer("go")} is missing", error);
    }

    [Fact]
    public void Wrong_arguments_print_the_usage()
    {
        var (exit, _, error) = Repository.Cli("schema");

        Assert.Equal(2, exit);
        Assert.Contains("usage: interstice schema <module.wasm>", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_module_path_or_output_path_is_a_usage_error(string blank)
    {
        CliAssert.UsageError(Repository.Cli("schema", blank), "schema", $"<module.wasm> needs a path, not '{blank}'");
        CliAssert.UsageError(Repository.Cli("schema", Repository.ExampleModule("hello"), "--out", blank), "schema", $"option --out needs a path, not '{blank}'");
    }
}
