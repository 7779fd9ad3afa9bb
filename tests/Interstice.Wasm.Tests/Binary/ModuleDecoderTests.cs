using Interstice.Wasm.Binary;
using Interstice.Wasm.Structure;
using Interstice.Wasm.Tests.TestSupport;
using static Interstice.Wasm.Tests.TestSupport.Bytes;

namespace Interstice.Wasm.Tests.Binary;

/// <summary>The decoder's reading of each section, from modules assembled by wat2wasm.</summary>
public sealed class ModuleDecoderTests
{
    private static ModuleDefinition Decode(string wat, params string[] wat2wasmArguments) =>
        ModuleDecoder.Decode(Wat.ToWasm(wat, wat2wasmArguments));

    [Fact]
    public void AnEmptyModuleHasNothing()
    {
        var module = ModuleDecoder.Decode(Header);
        Assert.Empty(module.Types);
        Assert.Empty(module.Imports);
        Assert.Empty(module.Bodies);
        Assert.Null(module.StartFunction);
        Assert.Null(module.DataCount);
        Assert.Same(ModuleNames.None, module.Names);
    }

    [Fact]
    public void TypesIncludeMultipleResults()
    {
        var module = Decode("""
            (module
              (type (func))
              (type (func (param i32 i64 f32 f64) (result funcref externref)))
              (type (func (result i32 i32 i64))))
            """);
        Assert.Equal(3, module.Types.Length);
        Assert.Equal(FunctionType.Empty, module.Types[0]);
        Assert.Equal([ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64], module.Types[1].Parameters.ToArray());
        Assert.Equal([ValueType.FuncRef, ValueType.ExternRef], module.Types[1].Results.ToArray());
        Assert.Equal([ValueType.I32, ValueType.I32, ValueType.I64], module.Types[2].Results.ToArray());
    }

    [Fact]
    public void ImportsOfEveryKindComeFirstInTheirIndexSpaces()
    {
        var module = Decode("""
            (module
              (type $t (func (param i32)))
              (import "env" "f" (func (type $t)))
              (import "env" "tab" (table 2 10 externref))
              (import "env" "mem" (memory 1 2))
              (import "env" "g" (global (mut i64)))
              (import "env" "h" (func))
              (func (export "own"))
              (global f32 (f32.const 1)))
            """);
        Assert.Equal(5, module.Imports.Length);
        Assert.Equal(("env", "f", ExternalKind.Function, 0), (module.Imports[0].Module, module.Imports[0].Name, module.Imports[0].Kind, module.Imports[0].TypeIndex));
        Assert.Equal(new TableType(ValueType.ExternRef, new Limits(2, 10)), module.Imports[1].Table);
        Assert.Equal(new MemoryType(new Limits(1, 2)), module.Imports[2].Memory);
        Assert.Equal(new GlobalType(ValueType.I64, Mutable: true), module.Imports[3].Global);
        Assert.Equal((2, 1, 1, 1), (module.ImportedFunctionCount, module.ImportedTableCount, module.ImportedMemoryCount, module.ImportedGlobalCount));
        Assert.Equal(3, module.FunctionCount);
        Assert.Equal(2, module.GlobalCount);
        Assert.Equal(new GlobalType(ValueType.F32, false), module.GetGlobalType(1));
        Assert.Equal(new ExportDescriptor("own", ExternalKind.Function, 2), module.Exports[0]);
    }

    [Fact]
    public void TablesMemoriesGlobalsExportsAndStartAreRead()
    {
        var module = Decode("""
            (module
              (table $a 1 funcref)
              (table $b 3 7 externref)
              (memory 2)
              (global $g (mut i32) (i32.const 42))
              (global i64 (i64.const -1))
              (func $start)
              (export "tab" (table $b))
              (export "mem" (memory 0))
              (export "glob" (global $g))
              (start $start))
            """);
        Assert.Equal([new TableType(ValueType.FuncRef, new Limits(1, null)), new TableType(ValueType.ExternRef, new Limits(3, 7))], module.Tables);
        Assert.Equal(new MemoryType(new Limits(2, null)), Assert.Single(module.Memories));
        Assert.Equal(2, module.Globals.Length);
        Assert.True(module.Globals[0].Type.Mutable);
        var init = module.Globals[0].Initializer;
        Assert.Equal([0x41, 42, 0x0B], module.Bytes.AsSpan(init.Offset, init.Length).ToArray());
        Assert.Equal(["tab", "mem", "glob"], module.Exports.Select(e => e.Name));
        Assert.Equal(ExternalKind.Table, module.Exports[0].Kind);
        Assert.Equal(1, module.Exports[0].Index);
        Assert.Equal(0, module.StartFunction);
    }

    [Fact]
    public void FunctionBodiesKeepTheirLocalsAndCodeRanges()
    {
        var module = Decode("""
            (module
              (func (param i32) (result i32) (local i64 i64 f32) (local externref)
                local.get 0))
            """);
        var body = Assert.Single(module.Bodies);
        Assert.Equal(4, body.LocalCount);
        Assert.Equal([new LocalDeclaration(2, ValueType.I64), new LocalDeclaration(1, ValueType.F32), new LocalDeclaration(1, ValueType.ExternRef)], body.Locals);
        Assert.Equal([0x20, 0x00, 0x0B], module.Bytes.AsSpan(body.CodeOffset, body.CodeLength).ToArray());
        Assert.Equal(-1, body.MaxStackHeight);
    }

    [Fact]
    public void ElementSegmentsOfEveryEncodingAreRead()
    {
        // One segment per flag value 0..7 (spec 5.5.12), written by hand so that each encoding is used exactly.
        byte[] offset = [0x41, 0x00, 0x0B];
        byte[] refFunc0 = [0xD2, 0x00, 0x0B];
        byte[] nullFunc = [0xD0, 0x70, 0x0B];
        var bytes = Module(
            TypeSection(([], [])),
            FunctionSection(0),
            Section(4, Vector([0x70, 0x00, 0x01], [0x70, 0x00, 0x01])),
            Section(9, Vector(
                [0x00, .. offset, .. Vector([0x00])],
                [0x01, 0x00, .. Vector([0x00], [0x00])],
                [0x02, 0x01, .. offset, 0x00, .. Vector([0x00])],
                [0x03, 0x00, .. Vector([0x00])],
                [0x04, .. offset, .. Vector(refFunc0, nullFunc)],
                [0x05, 0x70, .. Vector(nullFunc)],
                [0x06, 0x01, .. offset, 0x70, .. Vector(refFunc0)],
                [0x07, 0x70, .. Vector(refFunc0)])),
            CodeSection([0x00, 0x0B]));
        var elements = ModuleDecoder.Decode(bytes).Elements;
        Assert.Equal(8, elements.Length);
        Assert.Equal(
            [SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active, SegmentMode.Declarative, SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active, SegmentMode.Declarative],
            elements.Select(e => e.Mode));
        Assert.Equal([0, 0, 1, 0, 0, 0, 1, 0], elements.Select(e => e.TableIndex));
        Assert.All(elements.Take(4), e => Assert.NotNull(e.FunctionIndices));
        Assert.All(elements.Skip(4), e => Assert.NotNull(e.Expressions));
        Assert.Equal([1, 2, 1, 1, 2, 1, 1, 1], elements.Select(e => e.Count));
        Assert.All(elements, e => Assert.Equal(ValueType.FuncRef, e.ElementType));
        Assert.All(elements, e => Assert.Equal(e.Mode == SegmentMode.Active, e.Offset is not null));
        ModuleValidatorAccepts(bytes);
    }

    [Fact]
    public void ElementSegmentsMayHoldExternRefs()
    {
        var module = Decode("""
            (module (table 1 externref) (elem (table 0) (i32.const 0) externref (ref.null extern)))
            """);
        Assert.Equal(ValueType.ExternRef, Assert.Single(module.Elements).ElementType);
    }

    [Fact]
    public void DataSegmentsOfEveryEncodingAreRead()
    {
        var bytes = Module(
            Section(5, Vector([0x00, 0x01])),
            Section(12, Leb(3)),
            Section(11, Vector(
                [0x00, 0x41, 0x08, 0x0B, .. Vector([0x61], [0x62])],
                [0x01, .. Vector([0x63])],
                [0x02, 0x00, 0x41, 0x10, 0x0B, .. Vector()])));
        var module = ModuleDecoder.Decode(bytes);
        Assert.Equal(3, module.DataCount);
        Assert.Equal([SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active], module.Data.Select(d => d.Mode));
        Assert.Equal("ab", System.Text.Encoding.ASCII.GetString(module.Bytes, module.Data[0].DataOffset, module.Data[0].DataLength));
        Assert.Equal("c", System.Text.Encoding.ASCII.GetString(module.Bytes, module.Data[1].DataOffset, module.Data[1].DataLength));
        Assert.Equal(0, module.Data[2].DataLength);
        Assert.Null(module.Data[1].Offset);
    }

    [Fact]
    public void TheNameSectionGivesModuleFunctionAndLocalNames()
    {
        var module = Decode("""
            (module $mod
              (import "env" "imported" (func $imp))
              (func $first (param $x i32) (local $y i64))
              (func $second))
            """, "--debug-names");
        Assert.Equal("mod", module.Names.ModuleName);
        Assert.Equal("imp", module.Names.GetFunctionName(0));
        Assert.Equal("first", module.Names.GetFunctionName(1));
        Assert.Equal("second", module.Names.GetFunctionName(2));
        Assert.Null(module.Names.GetFunctionName(3));
        Assert.Equal("x", module.Names.LocalNames[1][0]);
        Assert.Equal("y", module.Names.LocalNames[1][1]);
        Assert.Contains(module.CustomSections, s => s.Name == "name");
    }

    [Fact]
    public void AMalformedNameSectionIsIgnoredNotFatal()
    {
        byte[] badUtf8Name = [0x00, .. Leb(2), 0x01, 0xFF];
        byte[] truncatedFunctionNames = [0x01, .. Leb(5), 0x03, 0x00, 0x01];
        foreach (var payload in new[] { badUtf8Name, truncatedFunctionNames, [0x09, 0x7F] })
        {
            var bytes = Module(Section(0, [.. Name("name"), .. payload]));
            var module = ModuleDecoder.Decode(bytes);
            Assert.Same(ModuleNames.None, module.Names);
            Assert.Equal("name", Assert.Single(module.CustomSections).Name);
        }
    }

    [Fact]
    public void CustomSectionsAreKeptWithTheirPayloadWherever()
    {
        var bytes = Module(
            Section(0, [.. Name("first"), 1, 2, 3]),
            TypeSection(([], [])),
            Section(0, [.. Name("second")]));
        var module = ModuleDecoder.Decode(bytes);
        Assert.Equal(["first", "second"], module.CustomSections.Select(s => s.Name));
        var first = module.CustomSections[0];
        Assert.Equal([1, 2, 3], module.Bytes.AsSpan(first.PayloadOffset, first.PayloadLength).ToArray());
        Assert.Equal(0, module.CustomSections[1].PayloadLength);
    }

    [Fact]
    public void ACustomSectionNameMustBeUtf8()
    {
        var e = Assert.Throws<MalformedModuleException>(() => ModuleDecoder.Decode(Module(Section(0, 0x02, 0xC0, 0x80))));
        Assert.Equal("malformed UTF-8 encoding", e.Reason);
        Assert.Equal("custom", e.Section);
    }

    [Fact]
    public void EntryOffsetsPointAtEachEntry()
    {
        var bytes = Module(
            TypeSection(([], [])),
            Section(2, Vector([.. Name("m"), .. Name("f"), 0x00, 0x00])),
            FunctionSection(0),
            Section(7, Vector([.. Name("e"), 0x00, 0x01])),
            CodeSection([0x00, 0x0B]));
        var module = ModuleDecoder.Decode(bytes);
        int importSection = Header.Length + 6; // the type section is 6 bytes
        Assert.Equal(importSection + 3, module.Offsets.Imports[0]);
        Assert.Equal(0x6D, module.Bytes[module.Offsets.Imports[0] + 1]); // "m"
        Assert.Equal(0x65, module.Bytes[module.Offsets.Exports[0] + 1]); // "e"
    }

    private static void ModuleValidatorAccepts(byte[] bytes) =>
        Interstice.Wasm.Validation.ModuleValidator.Validate(ModuleDecoder.Decode(bytes));
}
