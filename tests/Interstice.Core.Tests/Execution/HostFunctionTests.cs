using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// The host functions of docs/abi.md section 9 driven by a hand-written module doing what the Rust
/// SDK never does: bad pointers, rows and ids, writes and reducer calls from queries, calls to
/// other nodes, too many iterators, stale handles, the pending-output rules, unknown statuses,
/// missing or ill-typed results. Every one is an error the guest sees (code and message), never
/// a crash. Each reducer reports a failed host call as <c>"NN message"</c> (NN = error code), and
/// a number it wants checked as its status (reported as "module returned unknown status N").
/// </summary>
public class HostFunctionTests : IDisposable
{
    private static readonly byte[] Probe = GuestModule.Build("probe", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          (import "interstice" "table_get" (func $table_get (param i32 i32 i32 i32 i32) (result i32)))
          (import "interstice" "table_scan" (func $table_scan (param i32) (result i32)))
          (import "interstice" "iter_next" (func $iter_next (param i32 i32 i32) (result i32)))
          (import "interstice" "iter_close" (func $iter_close (param i32) (result i32)))
          (import "interstice" "read_pending" (func $read_pending (param i32 i32) (result i32)))
          (import "interstice" "call_reducer" (func $call_reducer (param i32 i32 i32 i32) (result i32)))
          (import "interstice" "schedule" (func $schedule (param i32 i32 i32 i32 i64 i32) (result i32)))
          (import "interstice" "log" (func $log (param i32 i32 i32) (result i32)))
          (import "interstice" "set_result" (func $set_result (param i32 i32) (result i32)))
          (import "interstice" "set_error" (func $set_error (param i32 i32) (result i32)))
          (import "interstice" "error_message" (func $error_message (param i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          ;; 100: the row { id: 0, name: "ab" }; 200: the key 1u64; 220: call targets
          (data (i32.const 100) "\00\00\00\00\00\00\00\00\02ab")
          (data (i32.const 200) "\01\00\00\00\00\00\00\00")
          (data (i32.const 220) "\01\04eu-1\05hello\05hello")
          (data (i32.const 240) "\00\06nobody\01x")
          (data (i32.const 260) "\00\05probe\04self")
          (data (i32.const 280) "self")

          ;; Fails the call with "NN message" for the host result $r (negative: -code).
          (func $fail (param $r i32) (result i32)
            (local $code i32) (local $length i32)
            (local.set $code (i32.sub (i32.const 0) (local.get $r)))
            (i32.store8 (i32.const 512) (i32.add (i32.const 48) (i32.div_u (local.get $code) (i32.const 10))))
            (i32.store8 (i32.const 513) (i32.add (i32.const 48) (i32.rem_u (local.get $code) (i32.const 10))))
            (i32.store8 (i32.const 514) (i32.const 32))
            (local.set $length (call $error_message (i32.const 515) (i32.const 500)))
            (drop (call $set_error (i32.const 512) (i32.add (i32.const 3) (local.get $length))))
            (i32.const 1))

          (func $insert (result i32) (call $insert_named (i32.const 97)))
          ;; Inserts { id: 0, name: "<c>b" } from a fresh copy (the host writes the generated id into it).
          (func $insert_named (param $c i32) (result i32)
            (memory.copy (i32.const 150) (i32.const 100) (i32.const 11))
            (i32.store8 (i32.const 159) (local.get $c))
            (call $table_insert (i32.const 0) (i32.const 150) (i32.const 11)))

          (func (export "interstice_reducer.bad_pointer") (param i32 i32) (result i32)
            (call $fail (call $table_insert (i32.const 0) (i32.const 0xFFFF0000) (i32.const 11))))
          (func (export "interstice_reducer.bad_row") (param i32 i32) (result i32)
            (call $fail (call $table_insert (i32.const 0) (i32.const 100) (i32.const 9))))
          (func (export "interstice_reducer.bad_table") (param i32 i32) (result i32)
            (call $fail (call $table_insert (i32.const 7) (i32.const 100) (i32.const 11))))
          (func (export "interstice_reducer.duplicate") (param i32 i32) (result i32)
            (drop (call $insert))
            (i32.store8 (i32.const 100) (i32.const 9))
            (call $fail (call $table_insert (i32.const 0) (i32.const 100) (i32.const 11))))
          (func (export "interstice_query.sneak") (param i32 i32) (result i32)
            (call $fail (call $table_insert (i32.const 0) (i32.const 100) (i32.const 11))))
          (func (export "interstice_query.sneak_call") (param i32 i32) (result i32)
            (call $fail (call $call_reducer (i32.const 240) (i32.const 10) (i32.const 0) (i32.const 0))))
          (func (export "interstice_query.sneak_schedule") (param i32 i32) (result i32)
            (call $fail (call $schedule (i32.const 280) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const 0) (i32.const 300))))
          (func (export "interstice_reducer.call_elsewhere") (param i32 i32) (result i32)
            (call $fail (call $call_reducer (i32.const 220) (i32.const 18) (i32.const 0) (i32.const 0))))
          (func (export "interstice_reducer.call_missing") (param i32 i32) (result i32)
            (call $fail (call $call_reducer (i32.const 240) (i32.const 10) (i32.const 0) (i32.const 0))))
          (func (export "interstice_reducer.self") (param i32 i32) (result i32)
            (call $fail (call $call_reducer (i32.const 260) (i32.const 12) (i32.const 0) (i32.const 0))))
          (func (export "interstice_reducer.schedule_back") (param i32 i32) (result i32)
            (call $fail (call $schedule (i32.const 280) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const -1) (i32.const 300))))
          (func (export "interstice_reducer.many_iterators") (param i32 i32) (result i32)
            (local $r i32)
            (loop $open
              (local.set $r (call $table_scan (i32.const 0)))
              (br_if $open (i32.ge_s (local.get $r) (i32.const 0))))
            (call $fail (local.get $r)))
          (func (export "interstice_reducer.stale_handle") (param i32 i32) (result i32)
            (local $h i32)
            (local.set $h (call $table_scan (i32.const 0)))
            (drop (call $iter_close (local.get $h)))
            (call $fail (call $iter_next (local.get $h) (i32.const 400) (i32.const 100))))
          (func (export "interstice_reducer.scan_framing") (param i32 i32) (result i32)
            (local $h i32) (local $a i32) (local $b i32) (local $c i32)
            (drop (call $insert_named (i32.const 97))) (drop (call $insert_named (i32.const 98)))
            (local.set $h (call $table_scan (i32.const 0)))
            (local.set $a (call $iter_next (local.get $h) (i32.const 400) (i32.const 13)))
            (local.set $b (call $iter_next (local.get $h) (i32.const 400) (i32.const 13)))
            (local.set $c (call $iter_next (local.get $h) (i32.const 400) (i32.const 13)))
            (i32.add (i32.mul (local.get $a) (i32.const 10000)) (i32.add (i32.mul (local.get $b) (i32.const 100)) (local.get $c))))
          (func (export "interstice_reducer.scan_while_inserting") (param i32 i32) (result i32)
            (local $h i32)
            (drop (call $insert_named (i32.const 97)))
            (local.set $h (call $table_scan (i32.const 0)))
            (drop (call $insert_named (i32.const 98)))
            (call $iter_next (local.get $h) (i32.const 400) (i32.const 1000)))
          (func (export "interstice_reducer.scan_pending") (param i32 i32) (result i32)
            (local $h i32)
            (drop (call $insert))
            (local.set $h (call $table_scan (i32.const 0)))
            (drop (call $iter_next (local.get $h) (i32.const 400) (i32.const 5)))
            (call $read_pending (i32.const 400) (i32.const 100)))
          (func (export "interstice_reducer.pending_kept_by_error_message") (param i32 i32) (result i32)
            (local $n i32)
            (drop (call $insert))
            (local.set $n (call $table_get (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 400) (i32.const 0)))
            (drop (call $error_message (i32.const 600) (i32.const 100)))
            (if (i32.ne (call $read_pending (i32.const 400) (i32.const 100)) (local.get $n)) (then (return (i32.const 99))))
            (call $fail (call $read_pending (i32.const 400) (i32.const 100))))
          (func (export "interstice_reducer.pending_dropped") (param i32 i32) (result i32)
            (drop (call $insert))
            (drop (call $table_get (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 400) (i32.const 0)))
            (drop (call $log (i32.const 2) (i32.const 280) (i32.const 4)))
            (call $fail (call $read_pending (i32.const 400) (i32.const 100))))
          (func (export "interstice_reducer.pending_too_small") (param i32 i32) (result i32)
            (drop (call $insert))
            (drop (call $table_get (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 400) (i32.const 0)))
            (if (i32.ne (call $read_pending (i32.const 400) (i32.const 1)) (i32.const -9)) (then (return (i32.const 98))))
            (call $read_pending (i32.const 400) (i32.const 100)))
          (func (export "interstice_reducer.get_missing") (param i32 i32) (result i32)
            (call $fail (call $table_get (i32.const 0) (i32.const 200) (i32.const 8) (i32.const 400) (i32.const 100))))
          (func (export "interstice_reducer.bad_key") (param i32 i32) (result i32)
            (call $fail (call $table_get (i32.const 0) (i32.const 200) (i32.const 3) (i32.const 400) (i32.const 100))))
          (func (export "interstice_reducer.unknown_status") (param i32 i32) (result i32) (i32.const 7))
          (func (export "interstice_reducer.result_in_reducer") (param i32 i32) (result i32)
            (call $fail (call $set_result (i32.const 100) (i32.const 8))))
          (func (export "interstice_reducer.bad_log_level") (param i32 i32) (result i32)
            (call $fail (call $log (i32.const 9) (i32.const 280) (i32.const 4))))
          (func (export "interstice_reducer.no_failure_yet") (param i32 i32) (result i32)
            (call $error_message (i32.const 400) (i32.const 100)))
          (func (export "interstice_reducer.out_of_bounds") (param i32 i32) (result i32)
            (i32.load (i32.const 0xFFFFFFF0)))
          (func (export "interstice_query.no_result") (param i32 i32) (result i32) (i32.const 0))
          (func (export "interstice_query.wrong_result") (param i32 i32) (result i32)
            (drop (call $set_result (i32.const 100) (i32.const 3)))
            (i32.const 0)))
        """,
        types: """[{ "name": "Item", "struct": [ { "name": "id", "type": "u64" }, { "name": "name", "type": "string" } ] }]""",
        tables: """[{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [ "id" ], "indexes": [ { "name": "name", "columns": [ "name" ], "kind": "hash", "unique": true } ], "ephemeral": false }]""",
        reducers: Reducers("bad_pointer", "bad_row", "bad_table", "duplicate", "call_elsewhere", "call_missing", "self", "schedule_back",
            "many_iterators", "stale_handle", "scan_framing", "scan_while_inserting", "scan_pending", "pending_kept_by_error_message", "pending_dropped",
            "pending_too_small", "get_missing", "bad_key", "unknown_status", "result_in_reducer", "bad_log_level", "no_failure_yet", "out_of_bounds"),
        queries: """[{ "name": "sneak", "args": [], "returns": "u64" }, { "name": "sneak_call", "args": [], "returns": "u64" }, { "name": "sneak_schedule", "args": [], "returns": "u64" }, { "name": "no_result", "args": [], "returns": "u64" }, { "name": "wrong_result", "args": [], "returns": "u64" }]""");

    private readonly TestNode _node = new();

    public HostFunctionTests() => _node.Node.LoadModule(Probe);

    public void Dispose() => _node.Dispose();

    private string Reason(string reducer) => _node.Fails("probe", reducer).Reason;

    private string QueryReason(string query) => Assert.Throws<CallFailedException>(() => _node.Node.RunQueryJson("probe", query, "[]")).Reason;

    [Fact]
    public void A_pointer_outside_memory_is_an_invalid_argument() =>
        Assert.Equal("03 the row (4294901760, 11) is not inside the module's memory of 65536 bytes", Reason("bad_pointer"));

    [Fact]
    public void A_row_that_does_not_decode_is_an_invalid_argument() =>
        Assert.StartsWith("03 table `probe.items`: the row does not decode as Item: at byte 8", Reason("bad_row"));

    [Fact]
    public void An_unknown_table_id_is_an_invalid_argument() =>
        Assert.Equal("03 module probe has no table with id 7 (it has 1)", Reason("bad_table"));

    [Fact]
    public void A_duplicate_unique_key_names_index_column_and_value() =>
        Assert.Equal("02 table `probe.items`: unique index `name` already has a row with name = \"ab\"", Reason("duplicate"));

    [Fact]
    public void A_missing_row_names_table_column_and_value() =>
        Assert.Equal("01 table `probe.items` has no row with id = 1", Reason("get_missing"));

    [Fact]
    public void A_key_that_does_not_decode_is_an_invalid_argument() =>
        Assert.StartsWith("03 table `probe.items`: the key does not decode as u64", Reason("bad_key"));

    [Fact]
    public void Queries_cannot_write_call_reducers_or_schedule()
    {
        Assert.Equal("07 table_insert: probe.sneak is a query; queries cannot write tables", QueryReason("sneak"));
        Assert.Equal("07 call_reducer: probe.sneak_call is a query; queries cannot call reducers", QueryReason("sneak_call"));
        Assert.Equal("07 schedule: probe.sneak_schedule is a query; queries cannot schedule reducers", QueryReason("sneak_schedule"));
    }

    [Fact]
    public void A_call_to_another_node_is_unreachable() =>
        Assert.Equal("10 eu-1.hello.hello: node `eu-1` cannot be reached (this node, `local`, has no connections to other nodes)", Reason("call_elsewhere"));

    [Fact]
    public void A_call_to_a_missing_module_says_so() =>
        Assert.Equal("04 nobody.x: no module `nobody` is loaded on this node", Reason("call_missing"));

    [Fact]
    public void A_module_calling_itself_is_a_cycle() =>
        Assert.Equal("06 probe.self: the call would re-enter module `probe`, which is already on the call stack (probe -> probe)", Reason("self"));

    [Fact]
    public void A_negative_delay_cannot_be_scheduled() =>
        Assert.Equal("03 schedule: the delay is -1 µs; it cannot be negative", Reason("schedule_back"));

    [Fact]
    public void At_most_1024_iterators_are_open_at_once() =>
        Assert.Equal("11 1024 iterators are open: close some (iter_close) before opening more", Reason("many_iterators"));

    [Fact]
    public void A_closed_iterator_handle_is_an_invalid_argument() =>
        Assert.Matches("^03 iter_next: [0-9]+ is not an open iterator handle$", Reason("stale_handle"));

    [Fact]
    public void Iterators_write_whole_framed_rows_that_fit()
    {
        // Each row is 11 bytes, framed 12: a 13-byte buffer takes one per call, then 0 (exhausted).
        Assert.Equal("module returned unknown status 121200", Reason("scan_framing"));
    }

    [Fact]
    public void An_iterator_sees_the_rows_as_they_were_when_it_was_opened() =>
        Assert.Equal("module returned unknown status 12", Reason("scan_while_inserting")); // one framed row, not two

    [Fact]
    public void A_row_larger_than_the_buffer_becomes_pending_output() =>
        Assert.Equal("module returned unknown status 12", Reason("scan_pending"));

    [Fact]
    public void Error_message_leaves_pending_output_alone_and_read_pending_takes_it_once() =>
        Assert.Equal("03 read_pending: there is no pending output (only the host call right before may leave some)", Reason("pending_kept_by_error_message"));

    [Fact]
    public void Any_other_host_call_drops_pending_output() =>
        Assert.Equal("03 read_pending: there is no pending output (only the host call right before may leave some)", Reason("pending_dropped"));

    [Fact]
    public void A_buffer_too_small_for_the_pending_output_keeps_it_pending() =>
        Assert.Equal("module returned unknown status 11", Reason("pending_too_small"));

    [Fact]
    public void An_unknown_status_fails_the_call() => Assert.Equal("module returned unknown status 7", Reason("unknown_status"));

    [Fact]
    public void Only_queries_have_results() =>
        Assert.Equal("03 set_result: probe.result_in_reducer is a reducer; only queries have results", Reason("result_in_reducer"));

    [Fact]
    public void A_log_level_outside_0_to_4_is_an_invalid_argument() =>
        Assert.Equal("03 log: level 9 is not 0 (error) to 4 (trace)", Reason("bad_log_level"));

    [Fact]
    public void Error_message_is_empty_before_any_failure() => _node.Node.CallReducerJson("probe", "no_failure_yet", "[]");

    [Fact]
    public void An_out_of_bounds_access_traps_and_the_module_keeps_serving()
    {
        var error = _node.Fails("probe", "out_of_bounds");
        Assert.Equal(CallFailure.Trapped, error.Failure);
        Assert.Contains("out of bounds memory access", error.Reason);
        Assert.Equal("module returned unknown status 12", Reason("scan_pending"));
    }

    [Fact]
    public void A_query_must_set_a_result_of_its_declared_type()
    {
        Assert.Equal("query returned no result", QueryReason("no_result"));
        Assert.StartsWith("the query's result does not decode as u64", QueryReason("wrong_result"));
    }

    private static string Reducers(params string[] names) =>
        "[" + string.Join(", ", names.Select(n => $$"""{ "name": "{{n}}", "args": [] }""")) + "]";
}
