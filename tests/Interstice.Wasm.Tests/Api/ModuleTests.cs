using Interstice.Wasm.Tests.TestSupport;
using ValueType = Interstice.Wasm.ValueType;

namespace Interstice.Wasm.Tests.Api;

/// <summary>Compiling modules: the content-hash cache, import and export descriptors, custom sections, bad input.</summary>
public sealed class ModuleTests
{
    private const string Wat = """
        (module $described
          (import "env" "f" (func (param i32) (result i64)))
          (import "env" "mem" (memory 1 2))
          (table (export "t") 3 externref)
          (global (export "g") (mut f32) (f32.const 1))
          (func (export "run") (param i32 i32) (result i32) (local.get 0)))
        """;

    [Fact]
    public void CompilingTheSameBytesTwiceReturnsTheCachedModule()
    {
        var engine = new Engine();
        var bytes = TestSupport.Wat.ToWasm(Wat);
        var first = engine.Compile(bytes);
        Assert.Same(first, engine.Compile(bytes));
        Assert.Equal(64, first.ContentHash.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), first.ContentHash);
        Assert.NotSame(first, new Engine().Compile(bytes));
    }

    [Fact]
    public void ImportsAndExportsAreDescribedWithTheirTypes()
    {
        var module = TestModule.Compile(Wat);
        Assert.Equal("described", module.Name);
        Assert.Equal(2, module.Imports.Count);
        Assert.Equal(new FunctionType([ValueType.I32], [ValueType.I64]), module.Imports[0].Function);
        Assert.Equal(new Limits(1, 2), module.Imports[1].Memory!.Limits);
        var exports = module.Exports.ToDictionary(e => e.Name);
        Assert.Equal(ExternalKind.Table, exports["t"].Kind);
        Assert.Equal(ValueType.ExternRef, exports["t"].Table!.ElementType);
        Assert.Equal(new GlobalType(ValueType.F32, true), exports["g"].Global);
        Assert.Equal(new FunctionType([ValueType.I32, ValueType.I32], [ValueType.I32]), exports["run"].Function);
    }

    [Fact]
    public void CustomSectionsAreReadWithoutInstantiating()
    {
        byte[] bytes =
        [
            .. TestSupport.Wat.ToWasm("(module)"),
            .. TestSupport.Bytes.CustomSection("interstice.schema", 1, 2, 3),
            .. TestSupport.Bytes.CustomSection("other", 9),
            .. TestSupport.Bytes.CustomSection("interstice.schema", 4),
        ];
        var module = new Engine().Compile(bytes);
        var sections = module.GetCustomSections("interstice.schema");
        Assert.Equal(2, sections.Count);
        Assert.Equal([1, 2, 3], sections[0].ToArray());
        Assert.Equal([4], sections[1].ToArray());
        Assert.Empty(module.GetCustomSections("missing"));
    }

    [Fact]
    public void MalformedAndInvalidBytesAreRejectedWithTheirPlace()
    {
        var engine = new Engine();
        var malformed = Assert.Throws<MalformedModuleException>(() => engine.Compile([0, 0x61, 0x73, 0x6D, 2, 0, 0, 0]));
        Assert.Contains("offset", malformed.Message);
        Assert.Throws<MalformedModuleException>(() => engine.Compile([]));
        var invalid = Assert.Throws<InvalidModuleException>(() => engine.Compile(TestSupport.Wat.ToWasm("(module (func (result i32) (i64.const 1)))", "--no-check")));
        Assert.Contains("function 0", invalid.Location);
    }
}
