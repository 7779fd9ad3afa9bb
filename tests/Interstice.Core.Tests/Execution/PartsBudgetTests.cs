using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// The node applies the parts budget (docs/abi.md section 6) to what crosses into it: a client's
/// reducer arguments and a module's query result of <c>vec&lt;Carrier&gt;</c>, where each byte
/// carries a zero-byte struct of 1,001 parts, are refused with the budget and the byte named.
/// </summary>
public sealed class PartsBudgetTests : IDisposable
{
    // Carrier { a: u8, z: Big }, Big a struct of 1,000 units (valid: 1,001 parts from zero bytes).
    private static readonly string Types = $$"""
        [{ "name": "Big", "struct": [{{string.Join(", ", Enumerable.Range(0, 1000).Select(i => $$"""{ "name": "u{{i}}", "type": "()" }"""))}}] },
         { "name": "Carrier", "struct": [ { "name": "a", "type": "u8" }, { "name": "z", "type": "Big" } ] }]
        """;

    private static readonly byte[] Module = GuestModule.Build("carrier", $$"""
        (module
          (import "interstice" "set_result" (func $set_result (param i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          ;; 60000: vec<Carrier> of 1,000 elements (count 0xe8 0x07, then 1,000 zero bytes of fresh memory)
          (data (i32.const 60000) "\e8\07")
          (func (export "interstice_reducer.take") (param i32 i32) (result i32) (i32.const 0))
          (func (export "interstice_query.hoard") (param i32 i32) (result i32)
            (drop (call $set_result (i32.const 60000) (i32.const 1002)))
            (i32.const 0)))
        """,
        types: Types,
        reducers: """[{ "name": "take", "args": [ { "name": "items", "type": "vec<Carrier>" } ] }]""",
        queries: """[{ "name": "hoard", "args": [], "returns": "vec<Carrier>" }]""");

    private const string Over = "at byte 12: the value holds more parts than the budget of 9040 parts for 1002 input byte(s) (1024 + 8 per byte)";

    private readonly TestNode _node = new();

    public PartsBudgetTests() => _node.Node.LoadModule(Module);

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Reducer_arguments_over_the_budget_are_refused_before_the_call()
    {
        byte[] arguments = [0xe8, 0x07, .. new byte[1000]];

        var error = Assert.Throws<CallFailedException>(() => _node.Node.CallReducer("carrier", "take", arguments));

        Assert.Equal(CallFailure.InvalidArguments, error.Failure);
        Assert.Equal($"the arguments do not decode as (vec<Carrier>,): {Over}", error.Reason);
        // One Carrier (1,004 parts with the arguments' tuple) is within the budget of 1,040.
        _node.Node.CallReducer("carrier", "take", [1, 0]);
    }

    [Fact]
    public void A_query_result_over_the_budget_is_refused_before_it_is_decoded()
    {
        var error = Assert.Throws<CallFailedException>(() => _node.Node.RunQueryJson("carrier", "hoard", "[]"));

        Assert.Equal(CallFailure.Failed, error.Failure);
        Assert.Equal($"the query's result does not decode as vec<Carrier>: {Over}", error.Reason);
    }
}
