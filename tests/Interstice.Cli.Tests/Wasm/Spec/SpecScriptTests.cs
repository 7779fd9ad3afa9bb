using System.Text;
using Interstice.Cli.Commands.Wasm.Spec;

namespace Interstice.Cli.Tests.Wasm.Spec;

public sealed class SpecScriptTests
{
    private static SpecScript Parse(string json) => SpecScript.Parse(Encoding.UTF8.GetBytes(json), "/suite/test.json");

    [Fact]
    public void ModulesAndRegistrationsAreRead()
    {
        var script = Parse("""
            {"source_filename": "test.wast", "commands": [
              {"type": "module", "line": 1, "filename": "test.0.wasm"},
              {"type": "module", "line": 2, "name": "$M", "filename": "test.1.wasm", "module_type": "binary"},
              {"type": "register", "line": 3, "name": "$M", "as": "m"},
              {"type": "register", "line": 4, "as": "current"}
            ]}
            """);
        Assert.Equal("test.wast", script.SourceFileName);
        Assert.Equal(new ModuleCommand(1, null, "test.0.wasm", SpecModuleType.Binary), script.Commands[0]);
        Assert.Equal(new ModuleCommand(2, "$M", "test.1.wasm", SpecModuleType.Binary), script.Commands[1]);
        Assert.Equal(new RegisterCommand(3, "m", "$M"), script.Commands[2]);
        Assert.Equal(new RegisterCommand(4, "current", null), script.Commands[3]);
        Assert.Equal(Path.Combine(Path.GetFullPath("/suite"), "test.0.wasm"), script.GetModulePath("test.0.wasm"));
    }

    [Fact]
    public void ModuleAssertionsKeepTheirTextAndEncoding()
    {
        var script = Parse("""
            {"source_filename": "t.wast", "commands": [
              {"type": "assert_malformed", "line": 5, "filename": "t.2.wat", "text": "unknown operator", "module_type": "text"},
              {"type": "assert_malformed", "line": 6, "filename": "t.3.wasm", "text": "unexpected end", "module_type": "binary"},
              {"type": "assert_invalid", "line": 7, "filename": "t.4.wasm", "text": "type mismatch", "module_type": "binary"},
              {"type": "assert_unlinkable", "line": 8, "filename": "t.5.wasm", "text": "unknown import", "module_type": "binary"},
              {"type": "assert_uninstantiable", "line": 9, "filename": "t.6.wasm", "text": "out of bounds", "module_type": "binary"}
            ]}
            """);
        Assert.Equal(new AssertMalformedCommand(5, "t.2.wat", "unknown operator", SpecModuleType.Text), script.Commands[0]);
        Assert.Equal(new AssertMalformedCommand(6, "t.3.wasm", "unexpected end", SpecModuleType.Binary), script.Commands[1]);
        Assert.Equal(new AssertInvalidCommand(7, "t.4.wasm", "type mismatch", SpecModuleType.Binary), script.Commands[2]);
        Assert.Equal(new AssertUnlinkableCommand(8, "t.5.wasm", "unknown import", SpecModuleType.Binary), script.Commands[3]);
        Assert.Equal(new AssertUninstantiableCommand(9, "t.6.wasm", "out of bounds", SpecModuleType.Binary), script.Commands[4]);
        Assert.All(script.Commands, c => Assert.IsAssignableFrom<ModuleAssertion>(c));
    }

    [Fact]
    public void ActionsCarryTypedArgumentsAndExpectations()
    {
        var script = Parse("""
            {"source_filename": "t.wast", "commands": [
              {"type": "assert_return", "line": 10, "action": {"type": "invoke", "module": "$M", "field": "add", "args": [
                 {"type": "i32", "value": "4294967295"}, {"type": "i64", "value": "18446744073709551615"},
                 {"type": "f32", "value": "2143289344"}, {"type": "f64", "value": "9221120237041090560"},
                 {"type": "externref", "value": "7"}, {"type": "funcref", "value": "null"}, {"type": "externref", "value": "null"}]},
               "expected": [{"type": "f32", "value": "nan:canonical"}, {"type": "f64", "value": "nan:arithmetic"}, {"type": "i32", "value": "1"},
                 {"type": "funcref"}, {"type": "externref", "value": "7"}]},
              {"type": "action", "line": 11, "action": {"type": "invoke", "field": "run", "args": []}, "expected": []},
              {"type": "assert_return", "line": 12, "action": {"type": "get", "field": "g"}, "expected": [{"type": "i64", "value": "5"}]}
            ]}
            """);
        var assertReturn = Assert.IsType<AssertReturnCommand>(script.Commands[0]);
        var invoke = Assert.IsType<InvokeAction>(assertReturn.Action);
        Assert.Equal(("$M", "add"), (invoke.Module, invoke.Field));
        Assert.Equal(
            [uint.MaxValue, ulong.MaxValue, 0x7FC00000UL, 0x7FF8000000000000UL, 7UL],
            invoke.Args.Take(5).Select(a => a.Bits));
        Assert.Equal(
            [SpecValueType.I32, SpecValueType.I64, SpecValueType.F32, SpecValueType.F64, SpecValueType.ExternRef, SpecValueType.FuncRef, SpecValueType.ExternRef],
            invoke.Args.Select(a => a.Type));
        Assert.All(invoke.Args.Take(5), a => Assert.Equal(SpecValueKind.Bits, a.Kind));
        Assert.Equal(SpecValueKind.Null, invoke.Args[5].Kind);
        Assert.Equal(SpecValueKind.Null, invoke.Args[6].Kind);
        Assert.Equal(
            [SpecValueKind.CanonicalNan, SpecValueKind.ArithmeticNan, SpecValueKind.Bits, SpecValueKind.Unspecified, SpecValueKind.Bits],
            assertReturn.Expected.Select(e => e.Kind));

        var action = Assert.IsType<ActionCommand>(script.Commands[1]);
        Assert.Null(action.Action.Module);
        Assert.Empty(Assert.IsType<InvokeAction>(action.Action).Args);

        var get = Assert.IsType<GetAction>(Assert.IsType<AssertReturnCommand>(script.Commands[2]).Action);
        Assert.Equal("g", get.Field);
    }

    [Fact]
    public void TrapsAndExhaustionKeepTheirMessage()
    {
        var script = Parse("""
            {"source_filename": "t.wast", "commands": [
              {"type": "assert_trap", "line": 20, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "0"}]},
               "text": "integer divide by zero", "expected": [{"type": "i32"}]},
              {"type": "assert_exhaustion", "line": 21, "action": {"type": "invoke", "field": "loop", "args": []},
               "text": "call stack exhausted", "expected": []}
            ]}
            """);
        var trap = Assert.IsType<AssertTrapCommand>(script.Commands[0]);
        Assert.Equal("integer divide by zero", trap.Text);
        Assert.Equal(SpecValueKind.Unspecified, Assert.Single(trap.Expected).Kind);
        var exhaustion = Assert.IsType<AssertExhaustionCommand>(script.Commands[1]);
        Assert.Equal("call stack exhausted", exhaustion.Text);
        Assert.Equal(21, exhaustion.Line);
    }

    [Fact]
    public void V128ValuesHaveLanes()
    {
        var script = Parse("""
            {"source_filename": "t.wast", "commands": [
              {"type": "assert_return", "line": 1, "action": {"type": "invoke", "field": "f", "args": [
                 {"type": "v128", "lane_type": "i8", "value": ["255", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "-1"]}]},
               "expected": [{"type": "v128", "lane_type": "f32", "value": ["nan:canonical", "0", "1065353216", "nan:arithmetic"]}, {"type": "v128"}]}
            ]}
            """);
        var command = Assert.IsType<AssertReturnCommand>(script.Commands[0]);
        var argument = Assert.Single(((InvokeAction)command.Action).Args);
        Assert.Equal(SpecLaneType.I8, argument.LaneType);
        Assert.Equal(16, argument.Lanes!.Count);
        Assert.Equal(255UL, argument.Lanes[0].Bits);
        Assert.Equal(255UL, argument.Lanes[15].Bits);
        var expected = command.Expected[0];
        Assert.Equal(SpecLaneType.F32, expected.LaneType);
        var lanes = Assert.IsAssignableFrom<IReadOnlyList<SpecLane>>(expected.Lanes);
        Assert.Equal([SpecValueKind.CanonicalNan, SpecValueKind.Bits, SpecValueKind.Bits, SpecValueKind.ArithmeticNan], lanes.Select(l => l.Kind));
        Assert.Equal(1065353216UL, lanes[2].Bits);
        Assert.Equal(SpecValueKind.Unspecified, command.Expected[1].Kind);
        Assert.Null(command.Expected[1].Lanes);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"commands": 3}""", "\"commands\" array")]
    [InlineData("""{"commands": [{"type": "module", "line": 4}]}""", ":4: missing \"filename\"")]
    [InlineData("""{"commands": [{"type": "frobnicate", "line": 5}]}""", ":5: unknown command type \"frobnicate\"")]
    [InlineData("""{"commands": [{"type": "assert_return", "line": 6, "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": "x"}]}}]}""", ":6: \"x\" is not a valid i32 value")]
    [InlineData("""{"commands": [{"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": "4294967296"}]}}]}""", ":7: \"4294967296\" is not a valid i32 value")]
    [InlineData("""{"commands": [{"type": "assert_return", "line": 8, "action": {"type": "invoke", "field": "f", "args": [{"type": "v128", "lane_type": "i32", "value": ["1"]}]}}]}""", ":8: a v128 of i32 lanes needs 4 lanes")]
    [InlineData("""{"commands": [{"type": "assert_return", "line": 9, "action": {"type": "call", "field": "f"}}]}""", ":9: unknown action type")]
    [InlineData("""{"commands": [{"type": "assert_return", "line": 10}]}""", ":10: the command needs an \"action\" object")]
    public void BrokenScriptsAreReportedWithFileAndLine(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("/suite/test.json", e.Message);
    }

    [Fact]
    public void ScriptsLoadFromFiles()
    {
        string path = Path.Combine(Path.GetTempPath(), $"interstice-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"source_filename": "x.wast", "commands": [{"type": "module", "line": 1, "filename": "x.0.wasm"}]}""");
        try
        {
            var script = SpecScript.Load(path);
            Assert.Equal(path, script.Path);
            Assert.Equal(Path.GetDirectoryName(path), script.Directory);
            Assert.Single(script.Commands);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
