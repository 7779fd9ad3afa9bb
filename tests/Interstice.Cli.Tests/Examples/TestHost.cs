using System.Buffers.Binary;
using Interstice.Abi;
using Interstice.Wasm;

namespace Interstice.Cli.Tests.Examples;

/// <summary>
/// A test fixture standing in for the node's side of a few host functions, enough to drive the
/// Rust SDK's runtime through the engine: one table whose rows are keyed by their first u64
/// column, the output-buffer and pending-output conventions, set_result/set_error, log, time and
/// random. Any other host function fails the test.
/// </summary>
internal sealed class TestHost
{
    private byte[]? _pending;
    private string _lastError = "";

    public SortedDictionary<ulong, byte[]> Rows { get; } = [];

    public byte[]? Result { get; private set; }

    public string? Error { get; private set; }

    public List<string> Log { get; } = [];

    /// <summary>Host calls made, by name, in order.</summary>
    public List<string> Calls { get; } = [];

    public Instance Instantiate(byte[] wasm)
    {
        var engine = new Engine();
        var linker = new Linker();
        foreach (var call in HostCalls.All)
        {
            var type = new FunctionType(call.Parameters.Select(Convert).ToArray(), [Convert(call.Result)]);
            linker.DefineFunction(HostCalls.ImportModule, call.Name, type, (caller, args, results) => results[0] = Dispatch(call.Id, caller.Memory!, args));
        }
        return linker.Instantiate(engine.Compile(wasm));
    }

    /// <summary>Calls a reducer or query export the way the node does: arguments in a block from interstice_alloc.</summary>
    public int Call(Instance instance, string export, byte[] args)
    {
        Result = null;
        Error = null;
        int ptr = 0;
        if (args.Length > 0)
        {
            ptr = instance.GetFunction(Exports.Alloc)!.Invoke(Value.FromI32(args.Length), Value.FromI32(1))[0].AsI32();
            instance.GetMemory(Exports.Memory)!.Write((ulong)ptr, args);
        }
        return instance.GetFunction(export)!.Invoke(Value.FromI32(ptr), Value.FromI32(args.Length))[0].AsI32();
    }

    private Value Dispatch(HostCall call, Memory memory, ReadOnlySpan<Value> a)
    {
        Calls.Add(HostCalls.All[(int)call].Name);
        if (call is not (HostCall.ReadPending or HostCall.ErrorMessage)) _pending = null;
        switch (call)
        {
            case HostCall.TableId:
                return Value.FromI32(System.Text.Encoding.UTF8.GetString(Bytes(memory, a, 0)) == "rows" ? 0 : Fail(HostErrorCode.NotFound, "no such table"));
            case HostCall.TableInsert:
            {
                byte[] row = Bytes(memory, a, 1).ToArray();
                ulong key = BinaryPrimitives.ReadUInt64LittleEndian(row);
                if (!Rows.TryAdd(key, row)) return Value.FromI32(Fail(HostErrorCode.UniqueViolation, $"table `rows`: primary key id = {key} exists"));
                return Value.FromI32(0);
            }
            case HostCall.TableGet:
            {
                ulong key = BinaryPrimitives.ReadUInt64LittleEndian(Bytes(memory, a, 1));
                if (!Rows.TryGetValue(key, out byte[]? row)) return Value.FromI32(Fail(HostErrorCode.NotFound, $"table `rows` has no row with id = {key}"));
                return Value.FromI32(Output(memory, a[3].AsI32(), a[4].AsI32(), row));
            }
            case HostCall.ReadPending:
            {
                if (_pending is null) return Value.FromI32(Fail(HostErrorCode.InvalidArgument, "no pending output"));
                if (_pending.Length > a[1].AsI32()) return Value.FromI32(Fail(HostErrorCode.BufferTooSmall, "buffer too small"));
                memory.Write((ulong)(uint)a[0].AsI32(), _pending);
                int length = _pending.Length;
                _pending = null;
                return Value.FromI32(length);
            }
            case HostCall.ErrorMessage:
            {
                byte[] message = System.Text.Encoding.UTF8.GetBytes(_lastError);
                if (message.Length <= a[1].AsI32()) memory.Write((ulong)(uint)a[0].AsI32(), message);
                return Value.FromI32(message.Length);
            }
            case HostCall.SetResult:
                Result = Bytes(memory, a, 0).ToArray();
                return Value.FromI32(0);
            case HostCall.SetError:
                Error = System.Text.Encoding.UTF8.GetString(Bytes(memory, a, 0));
                return Value.FromI32(0);
            case HostCall.Log:
                Log.Add(System.Text.Encoding.UTF8.GetString(Bytes(memory, a, 1)));
                return Value.FromI32(0);
            case HostCall.TimeNow:
                return Value.FromI64(1_700_000_000_000_000);
            case HostCall.RandomU64:
                return Value.FromI64(4);
            default:
                throw new InvalidOperationException($"the test host does not provide {HostCalls.All[(int)call].Name}");
        }
    }

    private static Span<byte> Bytes(Memory memory, ReadOnlySpan<Value> args, int index) =>
        memory.GetSpan((ulong)(uint)args[index].AsI32(), args[index + 1].AsI32());

    private int Output(Memory memory, int ptr, int capacity, byte[] output)
    {
        if (output.Length <= capacity) memory.Write((ulong)(uint)ptr, output);
        else _pending = output;
        return output.Length;
    }

    private int Fail(HostErrorCode code, string message)
    {
        _lastError = message;
        return -(int)code;
    }

    private static Interstice.Wasm.ValueType Convert(WasmValueType type) =>
        type == WasmValueType.I64 ? Interstice.Wasm.ValueType.I64 : Interstice.Wasm.ValueType.I32;
}
