using Interstice.Abi.Encoding;
using Interstice.Abi.Types;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// A call from outside is one transaction: every write of the reducer and of every reducer it
/// calls, in any module, commits together or not at all; reads see the transaction's own writes;
/// a failed nested call undoes only its own writes.
/// </summary>
public class TransactionTests
{
    private const string World = """{"id":1,"name":"world","mood":"Happy","message":"Hello, world!","count":1}""";

    [Fact]
    public void A_reducer_that_fails_after_calling_another_module_rolls_back_both()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        var error = t.Fails("rogue", "greet_then_fail", """["Ann"]""");
        Assert.Equal(("rogue", "greet_then_fail", CallFailure.Failed, "greeted Ann, then failed"), (error.Module, error.Function, error.Failure, error.Reason));
        Assert.Equal([World], t.Rows("hello", "greetings"));
        Assert.Equal("1", t.Node.RunQueryJson("hello", "count", "[]"));
    }

    [Fact]
    public void A_reducer_that_traps_after_calling_another_module_rolls_back_both()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        var error = t.Fails("rogue", "greet_then_trap", """["Ann"]""");
        Assert.Equal(CallFailure.Trapped, error.Failure);
        Assert.Contains("greeted Ann, then panicked", error.Reason); // the panic message, sent with set_error before the trap
        Assert.Equal([World], t.Rows("hello", "greetings"));
        t.Node.CallReducerJson("rogue", "greet_twice", """["Bo"]"""); // a fresh instance serves the next call
    }

    [Fact]
    public void A_failed_nested_call_undoes_only_its_own_writes()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        // Three calls rogue -> caller.poke_all -> hello.hello; the second batch fails at "" after greeting Cy.
        t.Node.CallReducerJson("rogue", "poke_batches", """[[["Ann", "Bo"], ["Cy", ""], ["Di"]]]""");
        var names = t.Rows("hello", "greetings").Select(r => ValueJsonName(r)).ToArray();
        Assert.Equal(["world", "Ann", "Bo", "Di"], names);
        var warning = Assert.Single(t.LogLines(Abi.LogLevel.Warn));
        Assert.Equal("rogue.poke_batches: CallFailed: caller.poke_all: CallFailed: hello.hello: a greeting needs a name", warning);
    }

    [Fact]
    public void A_caller_carries_on_after_a_nested_call_traps()
    {
        using var t = new TestNode(o => o with { MaxMemoryPages = 64 }, "hello", "rogue");
        t.Node.LoadModule(GuestModule.Build("sturdy", $$"""
            (module
              (import "interstice" "call_reducer" (func $call_reducer (param i32 i32 i32 i32) (result i32)))
              {{GuestModule.Runtime}}
              (data (i32.const 0) "\00\05rogue\03hog")
              ;; 0 when the nested call failed with CallFailed (-8), 2 otherwise; a call, so that fuel is checked again
              (func $expect_call_failed (param $r i32) (result i32) (select (i32.const 0) (i32.const 2) (i32.eq (local.get $r) (i32.const -8))))
              (func (export "interstice_reducer.try_hog") (param i32 i32) (result i32)
                (call $expect_call_failed (call $call_reducer (i32.const 0) (i32.const 11) (i32.const 0) (i32.const 0)))))
            """, reducers: """[{ "name": "try_hog", "args": [] }]"""));
        t.Node.CallReducerJson("sturdy", "try_hog", "[]");
        t.Node.CallReducerJson("rogue", "echo", "[]"); // rogue's broken instance was replaced
    }

    [Fact]
    public void Reads_see_the_transactions_own_writes_across_modules()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        // greet_twice greets through hello twice, then reads the greeting back through hello's
        // query inside the same transaction, and fails unless it sees both writes.
        t.Node.CallReducerJson("rogue", "greet_twice", """["Bo"]""");
        Assert.Contains(t.Rows("hello", "greetings"), r => r.Contains("\"name\":\"Bo\",\"mood\":\"Grumpy\"") && r.EndsWith("\"count\":2}"));
    }

    [Fact]
    public void A_unique_violation_rolls_back_the_whole_transaction_and_names_table_column_and_value()
    {
        using var t = new TestNode("bench");
        t.Node.CallReducer("bench", "bulk_insert", U64(0), U32(10), U32(4));
        var error = t.Fails("bench", "bulk_insert", "[5, 10, 4]");
        Assert.Equal(CallFailure.Failed, error.Failure);
        Assert.Equal("UniqueViolation: table `bench.rows`: primary key `id` already has a row with id = 5", error.Reason);
        Assert.Equal(10, t.Node.ReadRows("bench", "rows").Count); // rows 10..14 inserted before the violation are gone too

        var index = t.Fails("bench", "insert_one", """[100, 1, "key-3", ""]""");
        Assert.Equal("UniqueViolation: table `bench.rows`: unique index `key` already has a row with key = \"key-3\"", index.Reason);
    }

    [Fact]
    public void Generated_auto_inc_values_are_written_back_into_the_guests_row()
    {
        using var t = new TestNode("hello");
        t.Node.CallReducerJson("hello", "hello", """["Ann", "Happy"]""");
        // hello logs the id it read back from its own row buffer after the insert.
        Assert.Equal(["hello.hello: greeted Ann for the first time (id 2)"], t.LogLines(Abi.LogLevel.Info));
    }

    [Fact]
    public void A_failure_reports_module_reducer_and_message_and_keeps_nothing()
    {
        using var t = new TestNode("hello");
        var error = t.Fails("hello", "hello", """["", "Happy"]""");
        Assert.Equal(("hello", "hello", CallFailure.Failed, "a greeting needs a name"), (error.Module, error.Function, error.Failure, error.Reason));
        Assert.Equal("hello.hello: a greeting needs a name", error.Message);
    }

    [Fact]
    public void Arguments_are_checked_against_the_reducers_types_before_the_call()
    {
        using var t = new TestNode("hello");
        var bytes = Assert.Throws<CallFailedException>(() => t.Node.CallReducer("hello", "hello", [1, 2, 3]));
        Assert.Equal(CallFailure.InvalidArguments, bytes.Failure);
        Assert.StartsWith("hello.hello: the arguments do not decode as (string, Mood): at byte", bytes.Message);

        var json = t.Fails("hello", "hello", """["Ann", "Sleepy"]""");
        Assert.Equal(CallFailure.InvalidArguments, json.Failure);
        Assert.Contains("(name: string, mood: Mood)", json.Message);

        var typed = Assert.Throws<CallFailedException>(() => t.Node.CallReducer("hello", "hello", new StringValue("Ann")));
        Assert.Equal(CallFailure.InvalidArguments, typed.Failure);
        Assert.DoesNotContain(t.Commits.Records, r => r.Module == "hello" && r.Function == "hello");
    }

    [Fact]
    public void Arguments_may_be_given_as_a_json_object_by_name()
    {
        using var t = new TestNode("hello");
        t.Node.CallReducerJson("hello", "hello", """{"mood": "Neutral", "name": "Ann"}""");
        Assert.Contains("\"mood\":\"Neutral\"", t.Node.RunQueryJson("hello", "greeting", """{"name": "Ann"}"""));
        var missing = t.Fails("hello", "hello", """{"name": "Ann"}""");
        Assert.Contains("argument `mood` is missing", missing.Message);
    }

    [Fact]
    public void Typed_arguments_and_results()
    {
        using var t = new TestNode("hello");
        t.Node.CallReducer("hello", "hello", new StringValue("Ann"), new EnumValue(2, EquatableArrayOf()));
        var count = t.Node.RunQuery("hello", "count");
        Assert.Equal(new IntegerValue(TypeTag.U64, 2), count);
    }

    private static Abi.EquatableArray<AbiValue> EquatableArrayOf() => Abi.EquatableArray<AbiValue>.Empty;

    private static string ValueJsonName(string row) => System.Text.Json.JsonDocument.Parse(row).RootElement.GetProperty("name").GetString()!;

    private static AbiValue U64(ulong value) => new IntegerValue(TypeTag.U64, value);

    private static AbiValue U32(uint value) => new IntegerValue(TypeTag.U32, value);
}
