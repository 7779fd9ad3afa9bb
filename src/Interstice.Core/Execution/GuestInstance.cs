using System.Text;
using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Core.Modules;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>
/// One instance of a module, with the host functions of the ABI (docs/abi.md section 9) bound to
/// it, and the state of the export call running on it. A module is never re-entered (a call
/// cycle is refused), so an instance runs at most one export call at a time and that state lives
/// here, reused from call to call. The host functions are grouped by topic in the
/// <c>GuestInstance.*.cs</c> files: tables, iterators, calls, context, errors and results.
/// </summary>
internal sealed partial class GuestInstance : IDisposable
{
    private readonly HostEnvironment _environment;
    private readonly GuestIterators _iterators = new();
    // Set once the instance exists (host functions need the guest object before: they are bound to it).
    private Instance _instance = null!;
    private Memory _memory = null!;
    private Func<int, int, int> _alloc = null!;
    private Func<int, int, int>[] _reducers = [];
    private Func<int, int, int>[] _queries = [];

    // The export call running on this instance.
    private CallScope? _scope;
    private FunctionBinding? _function;
    private ReadOnlyMemory<byte>? _pending;
    private string? _lastError;
    private string? _failure;
    private byte[]? _result;

    private GuestInstance(LoadedModule module, HostEnvironment environment)
    {
        Module = module;
        _environment = environment;
    }

    public LoadedModule Module { get; }

    /// <summary>True once a call trapped: the instance's memory may be in any state, so it is not used again.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>
    /// Instantiates <paramref name="module"/> with the node's limits and binds the host functions.
    /// Throws <see cref="WasmException"/> when the module cannot be instantiated (a start function
    /// that traps or calls the host, a memory larger than the limit).
    /// </summary>
    public static GuestInstance Create(LoadedModule module, HostEnvironment environment)
    {
        var guest = new GuestInstance(module, environment);
        const string host = HostCalls.ImportModule;
        var instance = new Linker()
            .DefineFunction(host, "table_id", new Func<Caller, int, int, int>(guest.TableId))
            .DefineFunction(host, "table_insert", new Func<Caller, int, int, int, int>(guest.TableInsert))
            .DefineFunction(host, "table_update", new Func<Caller, int, int, int, int>(guest.TableUpdate))
            .DefineFunction(host, "table_delete", new Func<Caller, int, int, int, int>(guest.TableDelete))
            .DefineFunction(host, "table_get", new Func<Caller, int, int, int, int, int, int>(guest.TableGet))
            .DefineFunction(host, "table_scan", new Func<Caller, int, int>(guest.TableScan))
            .DefineFunction(host, "index_seek", new Func<Caller, int, int, int, int, int>(guest.IndexSeek))
            .DefineFunction(host, "index_range", new Func<Caller, int, int, int, int, int>(guest.IndexRange))
            .DefineFunction(host, "iter_next", new Func<Caller, int, int, int, int>(guest.IterNext))
            .DefineFunction(host, "iter_close", new Func<Caller, int, int>(guest.IterClose))
            .DefineFunction(host, "read_pending", new Func<Caller, int, int, int>(guest.ReadPending))
            .DefineFunction(host, "call_reducer", new Func<Caller, int, int, int, int, int>(guest.CallReducer))
            .DefineFunction(host, "call_query", new Func<Caller, int, int, int, int, int, int, int>(guest.CallQuery))
            .DefineFunction(host, "schedule", new Func<Caller, int, int, int, int, long, int, int>(guest.Schedule))
            .DefineFunction(host, "cancel_schedule", new Func<Caller, long, int>(guest.CancelSchedule))
            .DefineFunction(host, "log", new Func<Caller, int, int, int, int>(guest.Log))
            .DefineFunction(host, "time_now", new Func<Caller, long>(guest.TimeNow))
            .DefineFunction(host, "random_u64", new Func<Caller, long>(guest.RandomU64))
            .DefineFunction(host, "set_result", new Func<Caller, int, int, int>(guest.SetResult))
            .DefineFunction(host, "set_error", new Func<Caller, int, int, int>(guest.SetError))
            .DefineFunction(host, "error_message", new Func<Caller, int, int, int>(guest.ErrorMessage))
            .Instantiate(module.Compiled, environment.InstanceOptions);
        guest._instance = instance;
        guest._memory = instance.GetMemory(Exports.Memory)!;
        guest._alloc = instance.GetFunction<Func<int, int, int>>(Exports.Alloc);
        guest._reducers = new Func<int, int, int>[module.Reducers.Length];
        for (int i = 0; i < guest._reducers.Length; i++) guest._reducers[i] = instance.GetFunction<Func<int, int, int>>(module.Reducers[i].ExportName);
        guest._queries = new Func<int, int, int>[module.Queries.Length];
        for (int i = 0; i < guest._queries.Length; i++) guest._queries[i] = instance.GetFunction<Func<int, int, int>>(module.Queries[i].ExportName);
        return guest;
    }

    /// <summary>
    /// Runs reducer or query <paramref name="function"/> of this module with the encoded
    /// <paramref name="arguments"/> (already validated against its argument types), inside
    /// <paramref name="scope"/>, with <paramref name="fuel"/> to spend (what is left is given
    /// back). Traps and failures are outcomes, never exceptions; an instance that trapped is
    /// marked broken.
    /// </summary>
    public CallOutcome Call(CallScope scope, FunctionBinding function, ReadOnlySpan<byte> arguments, ref long fuel)
    {
        _scope = scope;
        _function = function;
        _pending = null;
        _lastError = null;
        _failure = null;
        _result = null;
        scope.Push(this);
        try
        {
            _instance.Fuel = fuel;
            int pointer = 0;
            if (arguments.Length > 0)
            {
                pointer = _alloc(arguments.Length, 1);
                if (pointer == 0 || !TryGuest(pointer, arguments.Length, out var destination))
                {
                    fuel = _instance.Fuel;
                    return CallOutcome.Failed(CallFailure.Failed, $"the module could not allocate {arguments.Length} bytes for the arguments (interstice_alloc returned {pointer})");
                }
                arguments.CopyTo(destination);
            }
            var export = function.IsQuery ? _queries[function.Index] : _reducers[function.Index];
            int status = export(pointer, arguments.Length);
            fuel = _instance.Fuel;
            return Finish(status);
        }
        catch (TrapException trap)
        {
            IsBroken = true;
            // What the call did not use goes back to its caller, which may carry on after a failed callee.
            fuel = trap.Kind == TrapKind.OutOfFuel ? 0 : _instance.Fuel;
            return trap.Kind switch
            {
                TrapKind.OutOfFuel => Exhaust(scope, CallFailure.OutOfFuel),
                TrapKind.Interrupted => Exhaust(scope, CallFailure.DeadlineExceeded),
                // A panic sends its message with set_error before it traps.
                _ => CallOutcome.Failed(CallFailure.Trapped, _failure ?? "trapped: " + trap.Message),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault of the node's own, surfacing through the guest: the instance's state is unknown.
            IsBroken = true;
            fuel = 0;
            return CallOutcome.Failed(CallFailure.Trapped, $"the node failed while running the call: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _iterators.CloseAll();
            scope.Pop();
            _scope = null;
            _function = null;
            _pending = null;
            _result = null;
        }
    }

    /// <summary>Asks the running call to stop (it traps at the next function entry or loop iteration); from any thread.</summary>
    public void Interrupt() => _instance.Interrupt();

    /// <summary>Marks the instance as not to be used again (an interrupt may be pending on it).</summary>
    public void Discard() => IsBroken = true;

    public void Dispose() => _instance?.Dispose();

    public override string ToString() => $"instance of {Module.Name}";

    private CallOutcome Finish(int status)
    {
        if (status == Exports.StatusFailed) return CallOutcome.Failed(CallFailure.Failed, _failure ?? "failed without a message");
        if (status != Exports.StatusOk) return CallOutcome.Failed(CallFailure.Failed, $"module returned unknown status {status}");
        if (!_function!.IsQuery) return CallOutcome.Success(null);
        if (_result is null) return CallOutcome.Failed(CallFailure.Failed, "query returned no result");
        try
        {
            _function.ReturnsValidator!.Validate(_result);
        }
        catch (AbiDecodeException e)
        {
            return CallOutcome.Failed(CallFailure.Failed, $"the query's result does not decode as {_function.Returns}: {e.Message}");
        }
        return CallOutcome.Success(_result);
    }

    private CallOutcome Exhaust(CallScope scope, CallFailure kind)
    {
        var options = _environment.Options;
        string message = kind == CallFailure.OutOfFuel
            ? $"ran out of fuel: a call may use {options.FuelPerCall} units"
            : $"exceeded the deadline of {options.CallDeadline?.TotalSeconds} s per call";
        scope.Exhaust(kind, message);
        return CallOutcome.Failed(kind, message);
    }

    /// <summary>The guest memory at (<paramref name="pointer"/>, <paramref name="length"/>), both unsigned; false when it is not all inside the memory.</summary>
    private bool TryGuest(int pointer, int length, out Span<byte> span)
    {
        ulong address = (uint)pointer, size = (uint)length;
        if (size > int.MaxValue || address + size > _memory.Length)
        {
            span = default;
            return false;
        }
        span = _memory.GetSpan(address, (int)size);
        return true;
    }

    /// <summary>Fails a host call: <c>error_message</c> will return <paramref name="message"/>.</summary>
    private int Fail(HostErrorCode code, string message)
    {
        _lastError = message;
        return -(int)code;
    }

    private int BadPointer(string what, int pointer, int length) => Fail(HostErrorCode.InvalidArgument,
        $"{what} ({(uint)pointer}, {(uint)length}) is not inside the module's memory of {_memory.Length} bytes");

    /// <summary>Text passed by the guest: UTF-8, invalid sequences replaced with U+FFFD.</summary>
    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>The running call's scope; a host function called outside an export call (from a start function) traps.</summary>
    private CallScope Scope => _scope ?? throw new TrapException(TrapKind.Unreachable, detail: "host functions can only be called during a reducer or query call, not while the module is instantiated");
}
