using System.Buffers.Binary;
using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>Log, time, random and scheduling (docs/abi.md section 9.6).</summary>
internal sealed partial class GuestInstance
{
    private int Log(Caller caller, int level, int messagePointer, int messageLength)
    {
        _ = Scope;
        _pending = null;
        if ((uint)level > (uint)LogLevel.Trace) return Fail(HostErrorCode.InvalidArgument, $"log: level {level} is not 0 (error) to 4 (trace)");
        if (!TryGuest(messagePointer, messageLength, out var message)) return BadPointer("the log message", messagePointer, messageLength);
        var log = _environment.Log;
        if (log.Enabled) log.Write((LogLevel)level, Module.Name, _function!.Name, Text(message), fromModule: true);
        return 0;
    }

    private long TimeNow(Caller caller)
    {
        var scope = Scope;
        _pending = null;
        return scope.Timestamp;
    }

    private long RandomU64(Caller caller)
    {
        var scope = Scope;
        _pending = null;
        return (long)scope.NextRandom();
    }

    private int Schedule(Caller caller, int reducerPointer, int reducerLength, int argsPointer, int argsLength, long delay, int idPointer)
    {
        var scope = Scope;
        _pending = null;
        if (!WritesAllowed(scope)) return Fail(HostErrorCode.NotPermittedInQuery, $"schedule: {_function} is a query; queries cannot schedule reducers");
        if (!TryGuest(reducerPointer, reducerLength, out var name)) return BadPointer("the reducer name", reducerPointer, reducerLength);
        string reducerName = Text(name);
        var reducer = Module.FindReducer(reducerName);
        if (reducer is null) return Fail(HostErrorCode.NoSuchFunction, $"schedule: module {Module.Name} has no reducer `{reducerName}`");
        if (reducer.IsHandler) return Fail(HostErrorCode.NoSuchFunction, $"schedule: {reducer} handles a subscription; only the node calls it");
        if (delay < 0) return Fail(HostErrorCode.InvalidArgument, $"schedule: the delay is {delay} µs; it cannot be negative");
        if (!TryGuest(argsPointer, argsLength, out var arguments)) return BadPointer("the arguments", argsPointer, argsLength);
        if (!TryValidateArguments(reducer, arguments, out int failed)) return failed;
        if (!TryGuest(idPointer, sizeof(ulong), out var idOut)) return BadPointer("the schedule id output", idPointer, sizeof(ulong));
        long due = delay > long.MaxValue - scope.Timestamp ? long.MaxValue : scope.Timestamp + delay;
        ulong id = _environment.Schedules.Add(scope.Transaction, Module.Name, reducer.Name, arguments, due);
        BinaryPrimitives.WriteUInt64LittleEndian(idOut, id);
        return 0;
    }

    private int CancelSchedule(Caller caller, long id)
    {
        var scope = Scope;
        _pending = null;
        if (!WritesAllowed(scope)) return Fail(HostErrorCode.NotPermittedInQuery, $"cancel_schedule: {_function} is a query; queries cannot cancel schedules");
        return _environment.Schedules.Cancel(scope.Transaction, Module.Name, (ulong)id) ? 1 : 0;
    }
}
