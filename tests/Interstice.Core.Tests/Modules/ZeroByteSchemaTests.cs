using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Core.Tests.Support;
using Interstice.Wasm.Tests.TestSupport;

namespace Interstice.Core.Tests.Modules;

/// <summary>A module whose schema would make zero bytes decode to an exponential number of values is refused at load.</summary>
public class ZeroByteSchemaTests
{
    [Fact]
    public void A_module_with_a_doubling_dag_of_empty_structs_is_refused()
    {
        // Z00 { a: Z01, b: Z01 } ... Z24 {}: a row holding Z00 would decode from zero bytes to 2^25 - 1 values.
        var types = new List<TypeDefinition>();
        for (int i = 0; i < 24; i++)
            types.Add(new StructDefinition($"Z{i:D2}", [new Field("a", new NamedType($"Z{i + 1:D2}")), new Field("b", new NamedType($"Z{i + 1:D2}"))]));
        types.Add(new StructDefinition("Z24", []));
        types.Insert(0, new StructDefinition("Row", [new Field("id", AbiType.U64), new Field("z", new NamedType("Z00"))]));
        var schema = new ModuleSchema(AbiVersion.Current, "dag", "0.1.0", Visibility.Public, [], types.ToArray(),
            [new TableSchema("items", "Row", 0, [], [], false)], [], [], [], []);
        // Encoding does not validate: the bytes are what a hostile module could carry.
        byte[] module = GuestModule.WithSchema(Wat.ToWasm($"(module {GuestModule.Runtime})"), SchemaRecords.Encode(schema));
        using var t = new TestNode();

        var error = Record.Exception(() => t.Node.LoadModule(module));

        Assert.Contains("type 'Z00': a value of it encodes to zero bytes yet holds more than 1024 parts", Assert.IsType<ModuleLoadException>(error).Message);
        Assert.Empty(t.Node.Modules);
    }
}
