using static Interstice.Wasm.Tests.TestSupport.Bytes;
using static Interstice.Wasm.Tests.Validation.ValidationTestSupport;

namespace Interstice.Wasm.Tests.Validation;

/// <summary>Module-level validation rules (spec 3.2, 3.4): everything but function bodies.</summary>
public sealed class ModuleValidatorTests
{
    [Fact]
    public void LimitsMustBeOrderedAndMemoriesAtMost4GiB()
    {
        AssertInvalid("size minimum must not be greater than maximum", "(module (table 2 1 funcref))");
        AssertInvalid("size minimum must not be greater than maximum", "(module (memory 2 1))");
        AssertInvalid("size minimum must not be greater than maximum", """(module (import "m" "t" (table 5 4 funcref)))""");
        AssertInvalid("memory size must be at most 65536 pages (4GiB)", "(module (memory 65537))");
        AssertInvalid("memory size must be at most 65536 pages (4GiB)", "(module (memory 0 65537))");
        AssertInvalid("memory size must be at most 65536 pages (4GiB)", """(module (import "m" "m" (memory 0 70000)))""");
        Valid("(module (memory 65536 65536) (table 0xFFFFFFFF funcref))");
    }

    [Fact]
    public void AtMostOneMemory()
    {
        byte[] memory = [0x00, 0x01];
        var e = Invalid(Module(Section(5, Vector(memory, memory))));
        Assert.StartsWith("multiple memories", e.Reason);
        var imported = Section(2, Vector([.. Name("m"), .. Name("mem"), 0x02, 0x00, 0x01]));
        Assert.StartsWith("multiple memories", Invalid(Module(imported, Section(5, Vector(memory)))).Reason);
        // Several tables are fine (reference types).
        Valid("(module (table 1 funcref) (table 1 externref))");
    }

    [Fact]
    public void TypeIndicesOfFunctionsAndImportsMustExist()
    {
        var e = Invalid(Module(TypeSection(([], [])), FunctionSection(1), CodeSection([0x00, 0x0B])));
        Assert.Equal("unknown type 1", e.Reason);
        Assert.Equal("function 0", e.Location);
        var import = Invalid(Module(Section(2, Vector([.. Name("env"), .. Name("f"), 0x00, 0x05]))));
        Assert.Equal("unknown type 5", import.Reason);
        Assert.Equal("import 0 \"env\".\"f\"", import.Location);
        Assert.Equal(Header.Length + 3, import.Offset);
    }

    [Fact]
    public void TheStartFunctionMustExistAndTakeAndReturnNothing()
    {
        AssertInvalid("start function", "(module (func $f (param i32)) (start $f))");
        AssertInvalid("start function", "(module (func $f (result i32) i32.const 0) (start $f))");
        AssertInvalid("unknown function", "(module (start 3))");
        Valid("""(module (import "env" "f" (func $f)) (start $f))""");
    }

    [Fact]
    public void ExportNamesAreUniqueAndIndicesExist()
    {
        var e = AssertInvalid("duplicate export name", """(module (func $f) (export "a" (func $f)) (export "a" (func $f)))""");
        Assert.Equal("export \"a\"", e.Location);
        AssertInvalid("duplicate export name", """(module (memory 1) (global i32 (i32.const 0)) (export "x" (memory 0)) (export "x" (global 0)))""");
        AssertInvalid("unknown function 1", """(module (func) (export "a" (func 1)))""");
        AssertInvalid("unknown table 0", """(module (export "a" (table 0)))""");
        AssertInvalid("unknown memory 0", """(module (export "a" (memory 0)))""");
        AssertInvalid("unknown global 0", """(module (export "a" (global 0)))""");
        Valid("""(module (global $g (mut i32) (i32.const 0)) (export "g" (global $g)) (export "G" (global $g)))""");
    }

    [Fact]
    public void GlobalInitializersAreConstantExpressionsOfTheGlobalsType()
    {
        AssertInvalid("type mismatch", "(module (global i32 (i64.const 0)))");
        AssertInvalid("type mismatch", "(module (global i32))");
        AssertInvalid("type mismatch", "(module (global i32 (i32.const 0) (i32.const 1)))");
        AssertInvalid("constant expression required", "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))");
        AssertInvalid("constant expression required", "(module (global i32 (nop) (i32.const 1)))");
        var e = AssertInvalid("type mismatch", "(module (global i32 (i32.const 0)) (global funcref (ref.null extern)))");
        Assert.Equal("global 1", e.Location);
    }

    [Fact]
    public void ConstantExpressionsMayOnlyReadImmutableImportedGlobals()
    {
        Valid("""(module (global $base (import "env" "base") i32) (global i32 (global.get $base)))""");
        AssertInvalid("constant expression required", """(module (global $base (import "env" "base") (mut i32)) (global i32 (global.get $base)))""");
        AssertInvalid("unknown global 0", "(module (global i32 (i32.const 1)) (global i32 (global.get 0)))");
        AssertInvalid("unknown global 0", "(module (memory 1) (global i32 (i32.const 1)) (data (global.get 0) \"x\"))");
        AssertInvalid("unknown global 0", "(module (table 1 funcref) (global i32 (i32.const 1)) (elem (global.get 0) func))");
        AssertInvalid("unknown global 5", """(module (global $base (import "env" "base") i32) (global i32 (global.get 5)))""");
    }

    [Fact]
    public void ElementSegmentsMustFitTheirTable()
    {
        AssertInvalid("unknown table 0", "(module (func $f) (elem (i32.const 0) $f))");
        AssertInvalid("unknown table 1", "(module (table 1 funcref) (func $f) (elem (table 1) (i32.const 0) func $f))");
        AssertInvalid("type mismatch", "(module (table 1 funcref) (elem (table 0) (i32.const 0) externref (ref.null extern)))");
        AssertInvalid("type mismatch", "(module (table 1 funcref) (func $f) (elem (i64.const 0) $f))");
        AssertInvalid("unknown function 3", "(module (table 1 funcref) (elem (i32.const 0) func 3))");
        AssertInvalid("unknown function 4", "(module (elem funcref (ref.func 4)))");
        AssertInvalid("type mismatch", "(module (elem funcref (ref.null extern)))");
        AssertInvalid("constant expression required", "(module (elem funcref (item (i32.const 0) (drop) (ref.null func))))");
        Valid("(module (table 2 externref) (elem (table 0) (i32.const 1) externref (ref.null extern)) (elem declare func 0) (func))");
    }

    [Fact]
    public void DataSegmentsNeedAMemoryAndAnI32Offset()
    {
        AssertInvalid("unknown memory 0", "(module (data (i32.const 0) \"x\"))");
        AssertInvalid("type mismatch", "(module (memory 1) (data (i64.const 0) \"x\"))");
        var e = Invalid(Module(Section(5, Vector([0x00, 0x01])), Section(11, Vector([0x02, 0x01, 0x41, 0x00, 0x0B, 0x00]))));
        Assert.Equal("unknown memory 1", e.Reason);
        Assert.Equal("data segment 0", e.Location);
        Valid("(module (data \"passive needs no memory\"))");
    }

    [Fact]
    public void RefFuncInABodyNeedsAFunctionDeclaredOutsideBodies()
    {
        AssertInvalid("undeclared function reference", "(module (func $f) (func (drop (ref.func $f))))");
        Valid("(module (func $f) (elem declare func $f) (func (drop (ref.func $f))))");
        Valid("""(module (func $f) (export "f" (func $f)) (func (drop (ref.func $f))))""");
        Valid("(module (func $f) (global funcref (ref.func $f)) (func (drop (ref.func $f))))");
        Valid("(module (func $f) (elem funcref (ref.func $f)) (func (drop (ref.func $f))))");
        Valid("(module (table 1 funcref) (func $f) (elem (i32.const 0) $f) (func (drop (ref.func $f))))");
        // The start function is not a declaration.
        AssertInvalid("undeclared function reference", "(module (func $f) (start $f) (func (drop (ref.func $f))))");
    }
}
