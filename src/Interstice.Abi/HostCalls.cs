namespace Interstice.Abi;

/// <summary>
/// The functions a module may import from the host (docs/abi.md section 9), with their numbers,
/// import names and WebAssembly signatures. All live in the import module <see cref="ImportModule"/>.
/// </summary>
public static class HostCalls
{
    /// <summary>The import module name of every host function.</summary>
    public const string ImportModule = "interstice";

    /// <summary>Every host function, indexed by <see cref="HostCall"/>.</summary>
    public static IReadOnlyList<HostCallSignature> All { get; } =
    [
        new(HostCall.TableId, "table_id", [I32, I32], I32),
        new(HostCall.TableInsert, "table_insert", [I32, I32, I32], I32),
        new(HostCall.TableUpdate, "table_update", [I32, I32, I32], I32),
        new(HostCall.TableDelete, "table_delete", [I32, I32, I32], I32),
        new(HostCall.TableGet, "table_get", [I32, I32, I32, I32, I32], I32),
        new(HostCall.TableScan, "table_scan", [I32], I32),
        new(HostCall.IndexSeek, "index_seek", [I32, I32, I32, I32], I32),
        new(HostCall.IndexRange, "index_range", [I32, I32, I32, I32], I32),
        new(HostCall.IterNext, "iter_next", [I32, I32, I32], I32),
        new(HostCall.IterClose, "iter_close", [I32], I32),
        new(HostCall.ReadPending, "read_pending", [I32, I32], I32),
        new(HostCall.CallReducer, "call_reducer", [I32, I32, I32, I32], I32),
        new(HostCall.CallQuery, "call_query", [I32, I32, I32, I32, I32, I32], I32),
        new(HostCall.Schedule, "schedule", [I32, I32, I32, I32, I64, I32], I32),
        new(HostCall.CancelSchedule, "cancel_schedule", [I64], I32),
        new(HostCall.Log, "log", [I32, I32, I32], I32),
        new(HostCall.TimeNow, "time_now", [], I64),
        new(HostCall.RandomU64, "random_u64", [], I64),
        new(HostCall.SetResult, "set_result", [I32, I32], I32),
        new(HostCall.SetError, "set_error", [I32, I32], I32),
        new(HostCall.ErrorMessage, "error_message", [I32, I32], I32),
    ];

    /// <summary>The host function imported as <paramref name="name"/>, or null when there is none.</summary>
    public static HostCallSignature? Find(string name)
    {
        foreach (var call in All)
        {
            if (call.Name == name) return call;
        }
        return null;
    }

    /// <summary>The most iterators a module may have open at once.</summary>
    public const int MaxOpenIterators = 1024;

    private const WasmValueType I32 = WasmValueType.I32;
    private const WasmValueType I64 = WasmValueType.I64;
}

/// <summary>The number of a host function (its position in <see cref="HostCalls.All"/>).</summary>
public enum HostCall
{
    TableId = 0,
    TableInsert = 1,
    TableUpdate = 2,
    TableDelete = 3,
    TableGet = 4,
    TableScan = 5,
    IndexSeek = 6,
    IndexRange = 7,
    IterNext = 8,
    IterClose = 9,
    ReadPending = 10,
    CallReducer = 11,
    CallQuery = 12,
    Schedule = 13,
    CancelSchedule = 14,
    Log = 15,
    TimeNow = 16,
    RandomU64 = 17,
    SetResult = 18,
    SetError = 19,
    ErrorMessage = 20,
}

/// <summary>A host function's number, import name and signature (one result).</summary>
public sealed record HostCallSignature(HostCall Id, string Name, IReadOnlyList<WasmValueType> Parameters, WasmValueType Result)
{
    /// <summary>The signature as a function type.</summary>
    public WasmSignature Signature => new([.. Parameters], [Result]);
}

/// <summary>The <c>level</c> argument of the <c>log</c> host function.</summary>
public enum LogLevel
{
    Error = 0,
    Warn = 1,
    Info = 2,
    Debug = 3,
    Trace = 4,
}
