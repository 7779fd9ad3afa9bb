using Interstice.Wasm.Tests.TestSupport;
using static Interstice.Wasm.Tests.TestSupport.Bytes;
using static Interstice.Wasm.Tests.Validation.ValidationTestSupport;

namespace Interstice.Wasm.Tests.Validation;

/// <summary>Type checking of function bodies (spec 3.3 and the validation algorithm of the appendix).</summary>
public sealed class FunctionValidatorTests
{
    private static string Func(string signatureAndBody, string extra = "") => $"(module {extra} (func {signatureAndBody}))";

    [Fact]
    public void OperandsMustHaveTheInstructionsTypes()
    {
        AssertInvalid("type mismatch", Func("(result i32) (i32.add (i32.const 1) (i64.const 2))"));
        AssertInvalid("type mismatch", Func("(result i32) (i32.const 1) (i32.add)"));
        AssertInvalid("type mismatch", Func("(result i32) (f32.const 1)"));
        AssertInvalid("type mismatch", Func("(i32.const 1)"));
        AssertInvalid("type mismatch", Func("(result i32 i32) (i32.const 1)"));
        AssertInvalid("type mismatch", Func("(i64.eqz (i32.const 0)) (drop)"));
        AssertInvalid("type mismatch", Func("(drop (f64.promote_f32 (f64.const 0)))"));
        AssertInvalid("type mismatch", Func("(drop (i32.trunc_sat_f64_s (f32.const 0)))"));
        Valid(Func("(result i64) (i64.extend32_s (i64.const 5))"));
        Valid(Func("(result i32) (i32.wrap_i64 (i64.reinterpret_f64 (f64.const 1)))"));
        Valid(Func("(result i64) (i64.trunc_sat_f32_u (f32.const 1))"));
    }

    [Fact]
    public void TheStackIsPolymorphicAfterAnUnconditionalBranch()
    {
        Valid(Func("(result i32) (unreachable) (i32.add)"));
        Valid(Func("(result i64) (return (i64.const 1)) (i32.add) (drop) (i64.const 2)"));
        Valid(Func("(block (br 0) (i32.add) (drop))"));
        Valid(Func("(result i32) (unreachable) (select)"));
        Valid(Func("(result funcref) (unreachable) (select (result funcref))"));
        Valid(Func("(result i32) (block (result i32) (br_table 0 0 (unreachable)))"));
        // Values pushed after the branch are still checked.
        AssertInvalid("type mismatch", Func("(result i32) (unreachable) (i64.const 0) (i32.add)"));
        AssertInvalid("type mismatch", Func("(unreachable) (i64.const 0) (i32.eqz) (drop)"));
        // The polymorphism ends with the block.
        AssertInvalid("type mismatch", Func("(result i32) (block (unreachable)) (i32.eqz)"));
    }

    [Fact]
    public void BlocksTakeParametersAndReturnSeveralResultsByTypeIndex()
    {
        const string types = "(type $ii_i (func (param i32 i32) (result i32))) (type $i_ii (func (param i32) (result i32 i32)))";
        Valid(Func("(result i32) (i32.const 1) (i32.const 2) (block (type $ii_i) (i32.add))", types));
        Valid(Func("(result i32 i32) (i32.const 1) (block (type $i_ii) (i32.const 2))", types));
        Valid(Func("(result i32) (i32.const 1) (loop (type $i_ii) (i32.const 2)) (i32.add)", types));
        Valid(Func("(result i32) (i32.const 1) (i32.const 2) (i32.const 0) (if (type $ii_i) (then (i32.add)) (else (i32.sub)))", types));
        AssertInvalid("type mismatch", Func("(result i32) (i32.const 1) (block (type $ii_i) (i32.add))", types));
        AssertInvalid("type mismatch", Func("(result i32) (i64.const 1) (i32.const 2) (block (type $ii_i) (i32.add))", types));
        // wat2wasm quietly drops an unknown block type index, so this one is written by hand.
        Assert.Equal("unknown type 9", Invalid(SingleFunction(0x02, 0x09, 0x0B, 0x0B)).Reason);
    }

    [Fact]
    public void BranchesCarryTheirLabelsTypes()
    {
        // A branch to a loop carries the loop's parameters; to a block, its results.
        Valid(Func("(param i32) (result i32) (local.get 0) (loop (param i32) (result i32) (i32.eqz) (br_if 0 (i32.const 1)))"));
        Valid(Func("(result i32) (loop (result i32) (br 0 (i32.const 1)))"));
        AssertInvalid("type mismatch", Func("(param i32) (result i32) (local.get 0) (loop (param i32) (result i32) (drop) (br 0 (i64.const 1)))"));
        Valid(Func("(result i32) (block (result i32) (br 0 (i32.const 1)))"));
        AssertInvalid("type mismatch", Func("(result i32) (block (result i32) (br 0 (i64.const 1)))"));
        AssertInvalid("type mismatch", Func("(result i32) (block (result i32) (br_if 0 (i32.const 1)))"));
        AssertInvalid("unknown label 1", Func("(br 1)"));
        AssertInvalid("unknown label", Func("(block (br_if 5 (i32.const 0)))"));
        Valid(Func("(result i32) (return (i32.const 0))"));
        AssertInvalid("type mismatch", Func("(result i32) (return (i64.const 0))"));
    }

    [Fact]
    public void BranchTableTargetsMustAgree()
    {
        Valid(Func("(param i32) (result i32) (block (result i32) (block (result i32) (br_table 0 1 (i32.const 5) (local.get 0))))"));
        AssertInvalid("type mismatch", Func("(param i32) (result i32) (block (result i32) (block (br_table 0 1 (i32.const 5) (local.get 0))) (i32.const 1))"));
        AssertInvalid("type mismatch", Func("(param i32) (block (result f32) (block (result i32) (br_table 0 1 (i32.const 5) (local.get 0))) (drop) (f32.const 0)) (drop)"));
        AssertInvalid("unknown label", Func("(param i32) (block (br_table 0 3 (local.get 0)))"));
        AssertInvalid("type mismatch", Func("(block (br_table 0 (i64.const 0)))"));
    }

    [Fact]
    public void IfWithoutElseMustNotChangeTheStackType()
    {
        AssertInvalid("type mismatch", Func("(result i32) (if (result i32) (i32.const 1) (then (i32.const 2)))"));
        Valid(Func("(param i32) (result i32) (local.get 0) (if (param i32) (result i32) (i32.const 1) (then (i32.eqz)))"));
        AssertInvalid("type mismatch", Func("(if (i64.const 1) (then))"));
        AssertInvalid("type mismatch", Func("(result i32) (if (result i32) (i32.const 1) (then (i32.const 1)) (else (i64.const 1)))"));
        AssertInvalid("type mismatch", Func("(if (i32.const 1) (then (i32.const 1)))"));
    }

    [Fact]
    public void SelectTakesNumbersOrAnExplicitType()
    {
        Valid(Func("(result f64) (select (f64.const 1) (f64.const 2) (i32.const 0))"));
        AssertInvalid("type mismatch", Func("(result i32) (select (i32.const 1) (i64.const 2) (i32.const 0))"));
        AssertInvalid("type mismatch", Func("(result funcref) (select (ref.null func) (ref.null func) (i32.const 0))"));
        Valid(Func("(result externref) (select (result externref) (ref.null extern) (ref.null extern) (i32.const 0))"));
        AssertInvalid("invalid result arity", Func("(select (result i32 i32) (i32.const 1) (i32.const 2) (i32.const 0)) (drop) (drop)"));
        AssertInvalid("type mismatch", Func("(result i32) (select (i32.const 1) (i32.const 2) (i64.const 0))"));
    }

    [Fact]
    public void LocalsAndGlobalsAreTypedAndIndexed()
    {
        Valid(Func("(param i32) (local f32) (local.set 1 (f32.convert_i32_s (local.get 0)))"));
        AssertInvalid("type mismatch", Func("(param i32) (local f32) (local.set 1 (local.get 0))"));
        AssertInvalid("unknown local 2", Func("(param i32) (local f32) (drop (local.get 2))"));
        AssertInvalid("type mismatch", Func("(param i64) (result i32) (local.tee 0 (i64.const 1))"));
        AssertInvalid("unknown global 1", Func("(drop (global.get 1))", "(global i32 (i32.const 0))"));
        AssertInvalid("global is immutable", Func("(global.set 0 (i32.const 1))", "(global i32 (i32.const 0))"));
        AssertInvalid("global is immutable", Func("(global.set 0 (i32.const 1))", """(global (import "env" "g") i32)"""));
        AssertInvalid("type mismatch", Func("(global.set 0 (i64.const 1))", "(global (mut i32) (i32.const 0))"));
        Valid(Func("(global.set 0 (i32.const 1))", """(global (import "env" "g") (mut i32))"""));
    }

    [Fact]
    public void CallsUseTheCalleesSignature()
    {
        const string callee = "(func $callee (param i32 i64) (result f32) (f32.const 0))";
        Valid(Func("(result f32) (call $callee (i32.const 1) (i64.const 2))", callee));
        AssertInvalid("type mismatch", Func("(result f32) (call $callee (i64.const 1) (i32.const 2))", callee));
        AssertInvalid("unknown function 7", Func("(call 7)"));
        const string table = "(type $sig (func (param i32) (result i32))) (table 1 funcref) (table $ext 1 externref)";
        Valid(Func("(result i32) (call_indirect (type $sig) (i32.const 5) (i32.const 0))", table));
        AssertInvalid("type mismatch", Func("(result i32) (call_indirect $ext (type $sig) (i32.const 5) (i32.const 0))", table));
        AssertInvalid("unknown table", Func("(result i32) (call_indirect 4 (type $sig) (i32.const 5) (i32.const 0))", table));
        AssertInvalid("unknown type", Func("(call_indirect (type 9) (i32.const 0))", table));
    }

    [Fact]
    public void MemoryInstructionsNeedAMemoryAndNaturalAlignment()
    {
        AssertInvalid("unknown memory 0", Func("(drop (i32.load (i32.const 0)))"));
        AssertInvalid("unknown memory 0", Func("(drop (memory.size))"));
        AssertInvalid("unknown memory 0", Func("(memory.fill (i32.const 0) (i32.const 0) (i32.const 0))"));
        const string memory = "(memory 1)";
        Valid(Func("(drop (i64.load align=8 (i32.const 0)))", memory));
        AssertInvalid("alignment must not be larger than natural", Func("(drop (i64.load align=16 (i32.const 0)))", memory));
        AssertInvalid("alignment must not be larger than natural", Func("(drop (i32.load8_u align=2 (i32.const 0)))", memory));
        AssertInvalid("alignment must not be larger than natural", Func("(i64.store32 align=8 (i32.const 0) (i64.const 0))", memory));
        AssertInvalid("type mismatch", Func("(i64.store (i32.const 0) (i32.const 0))", memory));
        AssertInvalid("type mismatch", Func("(drop (f32.load (i64.const 0)))", memory));
        Valid(Func("(result i32) (memory.grow (i32.const 1))", memory));
    }

    [Fact]
    public void BulkMemoryNamesExistingDataSegments()
    {
        const string memory = "(memory 1) (data $d \"abc\")";
        Valid(Func("(memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)", memory));
        AssertInvalid("unknown data segment 1", Func("(data.drop 1)", memory));
        AssertInvalid("unknown data segment 0", Func("(data.drop 0)", "(memory 1)"));
        AssertInvalid("type mismatch", Func("(memory.init $d (i32.const 0) (i64.const 0) (i32.const 1))", memory));
        Valid(Func("(memory.copy (i32.const 0) (i32.const 1) (i32.const 2))", memory));
    }

    [Fact]
    public void TableInstructionsCheckTablesSegmentsAndReferenceTypes()
    {
        const string tables = "(table $f 1 funcref) (table $e 1 externref) (elem $fe funcref (ref.null func)) (elem $ee externref (ref.null extern))";
        Valid(Func("(param externref) (table.set $e (i32.const 0) (local.get 0))", tables));
        AssertInvalid("type mismatch", Func("(param externref) (table.set $f (i32.const 0) (local.get 0))", tables));
        Valid(Func("(result funcref) (table.get $f (i32.const 0))", tables));
        AssertInvalid("type mismatch", Func("(result funcref) (table.get $e (i32.const 0))", tables));
        Valid(Func("(result i32) (table.grow $e (ref.null extern) (i32.const 1))", tables));
        AssertInvalid("type mismatch", Func("(result i32) (table.grow $e (ref.null func) (i32.const 1))", tables));
        Valid(Func("(table.fill $f (i32.const 0) (ref.null func) (i32.const 1))", tables));
        Valid(Func("(table.copy $e $e (i32.const 0) (i32.const 0) (i32.const 1))", tables));
        AssertInvalid("type mismatch", Func("(table.copy $e $f (i32.const 0) (i32.const 0) (i32.const 1))", tables));
        Valid(Func("(table.init $e $ee (i32.const 0) (i32.const 0) (i32.const 1))", tables));
        AssertInvalid("type mismatch", Func("(table.init $e $fe (i32.const 0) (i32.const 0) (i32.const 1))", tables));
        AssertInvalid("unknown elem segment 5", Func("(elem.drop 5)", tables));
        AssertInvalid("unknown table 3", Func("(drop (table.size 3))", tables));
        Valid(Func("(result i32) (ref.is_null (ref.null extern))"));
        AssertInvalid("type mismatch", Func("(result i32) (ref.is_null (i32.const 0))"));
    }

    [Fact]
    public void ErrorsNameTheFunctionAndTheInstructionsOffset()
    {
        var bytes = Wat.ToWasm("""
            (module
              (func $ok)
              (func $broken (result i32)
                (i32.const 1)
                (i64.const 2)
                (i32.add)))
            """, "--no-check", "--debug-names");
        var e = Invalid(bytes);
        Assert.Equal("function 1 $broken", e.Location);
        Assert.Equal((byte)Interstice.Wasm.Binary.Opcode.I32Add, bytes[e.Offset]);
        Assert.Equal("type mismatch: expected i32, found i64", e.Reason);
        Assert.Contains("function 1 $broken", e.Message);

        var unnamed = Invalid(SingleFunction(0x41, 0x00, 0x0B));
        Assert.Equal("function 0", unnamed.Location);
        Assert.Equal("type mismatch: 1 extra value(s) left at the end of the block", unnamed.Reason);
    }

    [Fact]
    public void ValidationRecordsStackHeightAndNestingDepth()
    {
        var module = Valid("""
            (module
              (func (result i32)
                (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.sub (i32.const 3) (i32.const 4)))))
              (func (block (loop (block (nop))))))
            """);
        Assert.Equal(4, module.Bodies[0].MaxStackHeight);
        Assert.Equal(1, module.Bodies[0].MaxControlDepth);
        Assert.Equal(0, module.Bodies[1].MaxStackHeight);
        Assert.Equal(4, module.Bodies[1].MaxControlDepth);
    }

    [Fact]
    public void StateDoesNotLeakBetweenFunctions()
    {
        // The first function has many locals; the second must not see them.
        var e = AssertInvalid("unknown local 1", """
            (module
              (func (local i32 i32 i32 i32 i32 i32 i32 i32) (drop (local.get 7)))
              (func (param i64) (drop (local.get 1))))
            """);
        Assert.Equal("function 1", e.Location);
        // A function that fails leaves nothing behind for the next module.
        Valid("(module (func (result i32) (i32.const 0)) (func (block (br 0))))");
    }

    [Fact]
    public void DeeplyNestedBlocksAreValidatedWithoutRecursion()
    {
        const int depth = 20_000;
        byte[] code = [.. Enumerable.Repeat(new byte[] { 0x02, 0x40 }, depth).SelectMany(b => b), .. Enumerable.Repeat((byte)0x0B, depth + 1)];
        var module = Valid(SingleFunction(code));
        Assert.Equal(depth + 1, module.Bodies[0].MaxControlDepth);
    }
}
