using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;
using Interstice.Cli.Commands.Schema;
using Interstice.Wasm;

namespace Interstice.Cli.Tests.Examples;

/// <summary>
/// The Rust SDK's side of the calling conventions (docs/abi.md sections 8 and 9), run in the
/// engine against <see cref="TestHost"/>: argument blocks, statuses, set_error messages, the
/// panic hook, output buffers with pending output, set_result.
/// </summary>
public class GuestConventionTests
{
    private static readonly byte[] Bench = File.ReadAllBytes(Repository.ExampleModule("bench"));
    private static readonly ModuleSchema BenchSchema = ModuleContract.Read(Bench, new Engine()).Schema;

    private static byte[] Args(ModuleSchema schema, string function, string json)
    {
        var args = schema.FindReducer(function)?.ArgsType ?? schema.FindQuery(function)!.ArgsType;
        return ValueCodec.Encode(args, ValueJson.Parse(json, args, schema.TypeTable), schema.TypeTable);
    }

    [Fact]
    public void A_reducer_inserts_and_a_query_reads_back_through_pending_output()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);
        string payload = new string('a', 600); // 300 bytes: the row outgrows the SDK's first output buffer

        int status = host.Call(instance, Exports.Reducer("insert_one"), Args(BenchSchema, "insert_one", $"[7, 3, \"seven\", \"{payload}\"]"));

        Assert.True(status == 0, host.Error);
        Assert.Contains("table_id", host.Calls);
        var row = ValueCodec.Decode(new NamedType("Rows"), host.Rows[7], BenchSchema.TypeTable);
        Assert.Equal("{\"id\":7,\"group\":3,\"key\":\"seven\",\"payload\":\"" + payload + "\"}", ValueJson.Format(new NamedType("Rows"), row, BenchSchema.TypeTable));

        host.Calls.Clear();
        status = host.Call(instance, Exports.Query("get"), Args(BenchSchema, "get", "[7]"));

        Assert.True(status == 0, host.Error);
        Assert.Equal(["table_get", "read_pending", "set_result"], host.Calls);
        Assert.Equal([1, .. host.Rows[7]], host.Result);
    }

    [Fact]
    public void A_missing_row_is_none()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);

        Assert.Equal(Exports.StatusOk, host.Call(instance, Exports.Query("get"), Args(BenchSchema, "get", "[8]")));
        Assert.Equal([0], host.Result);
    }

    [Fact]
    public void A_unique_violation_fails_the_reducer_with_the_host_message()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);
        byte[] args = Args(BenchSchema, "insert_one", "[1, 1, \"one\", \"\"]");

        Assert.Equal(Exports.StatusOk, host.Call(instance, Exports.Reducer("insert_one"), args));
        Assert.Equal(Exports.StatusFailed, host.Call(instance, Exports.Reducer("insert_one"), args));
        Assert.Equal("UniqueViolation: table `rows`: primary key id = 1 exists", host.Error);
    }

    [Fact]
    public void Arguments_that_do_not_decode_fail_with_a_message()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);

        Assert.Equal(Exports.StatusFailed, host.Call(instance, Exports.Reducer("insert_one"), [1, 2, 3]));
        Assert.StartsWith("reducer `insert_one`: the arguments do not decode: at byte 0:", host.Error);
    }

    [Fact]
    public void A_panic_traps_after_handing_its_message_to_the_host()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);
        host.Rows[9] = [9, 0, 0, 0, 0, 0, 0, 0, 0xFF]; // not a Rows value

        var trap = Assert.Throws<TrapException>(() => host.Call(instance, Exports.Query("get"), Args(BenchSchema, "get", "[9]")));

        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Contains("panicked at 'interstice: a row of table `bench::Rows` from the host does not decode", host.Error);
    }

    [Fact]
    public void A_reducer_returning_an_error_fails_with_its_message()
    {
        var host = new TestHost();
        byte[] hello = File.ReadAllBytes(Repository.ExampleModule("hello"));
        var schema = ModuleContract.Read(hello, new Engine()).Schema;
        using var instance = host.Instantiate(hello);

        Assert.Equal(Exports.StatusFailed, host.Call(instance, Exports.Reducer("hello"), Args(schema, "hello", "[\"\", \"Grumpy\"]")));
        Assert.Equal("a greeting needs a name", host.Error);
    }

    [Fact]
    public void The_allocator_refuses_zero_sizes_and_bad_alignments()
    {
        var host = new TestHost();
        using var instance = host.Instantiate(Bench);
        var alloc = instance.GetFunction(Exports.Alloc)!;

        Assert.Equal(0, alloc.Invoke(Value.FromI32(0), Value.FromI32(1))[0].AsI32());
        Assert.Equal(0, alloc.Invoke(Value.FromI32(8), Value.FromI32(3))[0].AsI32());
        int ptr = alloc.Invoke(Value.FromI32(64), Value.FromI32(8))[0].AsI32();
        Assert.True(ptr > 0 && ptr % 8 == 0);
        instance.GetFunction(Exports.Free)!.Invoke(Value.FromI32(ptr), Value.FromI32(64), Value.FromI32(8));
    }
}
