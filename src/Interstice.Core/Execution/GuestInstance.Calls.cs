using Interstice.Abi;
using Interstice.Abi.Encoding;
using Interstice.Core.Modules;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>
/// Calls to other modules' reducers and queries (docs/abi.md section 9.5). The callee runs inside
/// the caller's transaction, on its own instance, with what is left of the caller's budget; a
/// reducer's writes are undone if it fails, and the caller carries on.
/// </summary>
internal sealed partial class GuestInstance
{
    private int CallReducer(Caller caller, int targetPointer, int targetLength, int argsPointer, int argsLength)
    {
        var scope = Scope;
        _pending = null;
        if (!TryReadTarget(targetPointer, targetLength, out var target, out int failed)) return failed;
        if (!IsThisNode(target.Node)) return Unreachable(target);
        if (!WritesAllowed(scope))
            return Fail(HostErrorCode.NotPermittedInQuery, $"call_reducer: {_function} is a query; queries cannot call reducers");
        if (!TryResolve(scope, target, query: false, out var callee, out var function, out failed)) return failed;
        if (!TryGuest(argsPointer, argsLength, out var arguments)) return BadPointer("the arguments", argsPointer, argsLength);
        if (!TryValidateArguments(function, arguments, out failed)) return failed;

        var transaction = scope.Transaction;
        var savepoint = transaction.CreateSavepoint();
        GuestInstance guest;
        try
        {
            guest = callee.Writer;
        }
        catch (WasmException e)
        {
            transaction.Release(savepoint);
            return Fail(HostErrorCode.CallFailed, $"{function}: the module cannot be instantiated: {e.Message}");
        }
        long fuel = _instance.Fuel;
        var outcome = guest.Call(scope, function, arguments, ref fuel);
        _instance.Fuel = fuel;
        if (!outcome.Succeeded)
        {
            transaction.RollbackTo(savepoint);
            return Fail(HostErrorCode.CallFailed, $"{function}: {outcome.Message}");
        }
        transaction.Release(savepoint);
        return 0;
    }

    private int CallQuery(Caller caller, int targetPointer, int targetLength, int argsPointer, int argsLength, int outPointer, int outCapacity)
    {
        var scope = Scope;
        _pending = null;
        if (!TryReadTarget(targetPointer, targetLength, out var target, out int failed)) return failed;
        if (!IsThisNode(target.Node)) return Unreachable(target);
        if (!TryResolve(scope, target, query: true, out var callee, out var function, out failed)) return failed;
        if (!TryGuest(argsPointer, argsLength, out var arguments)) return BadPointer("the arguments", argsPointer, argsLength);
        if (!TryValidateArguments(function, arguments, out failed)) return failed;

        // The reducer instance belongs to the executor: a query from outside takes pooled instances.
        GuestInstance guest;
        try
        {
            guest = scope.IsReadOnly ? callee.RentQueryInstance() : callee.Writer;
        }
        catch (WasmException e)
        {
            return Fail(HostErrorCode.CallFailed, $"{function}: the module cannot be instantiated: {e.Message}");
        }
        long fuel = _instance.Fuel;
        CallOutcome outcome;
        try
        {
            outcome = guest.Call(scope, function, arguments, ref fuel);
        }
        finally
        {
            if (scope.IsReadOnly) callee.ReturnQueryInstance(guest);
        }
        _instance.Fuel = fuel;
        if (!outcome.Succeeded) return Fail(HostErrorCode.CallFailed, $"{function}: {outcome.Message}");
        return Output(outPointer, outCapacity, outcome.Result!);
    }

    /// <summary>A decoded <c>CallTarget { node: option&lt;string&gt;, module: string, name: string }</c>.</summary>
    private readonly record struct CallTarget(string? Node, string Module, string Name)
    {
        public override string ToString() => (Node is null ? "" : Node + ".") + Module + "." + Name;
    }

    private bool TryReadTarget(int pointer, int length, out CallTarget target, out int failed)
    {
        target = default;
        if (!TryGuest(pointer, length, out var bytes))
        {
            failed = BadPointer("the call target", pointer, length);
            return false;
        }
        try
        {
            var reader = new ValueReader(bytes);
            string? node = reader.ReadOptionTag() ? reader.ReadString() : null;
            string module = reader.ReadString();
            string name = reader.ReadString();
            reader.ExpectEnd();
            target = new CallTarget(node, module, name);
            failed = 0;
            return true;
        }
        catch (AbiDecodeException e)
        {
            failed = Fail(HostErrorCode.InvalidArgument, $"the call target does not decode as CallTarget {{ node: option<string>, module: string, name: string }}: {e.Message}");
            return false;
        }
    }

    private bool IsThisNode(string? node) => node is null || node == _environment.Options.NodeName;

    private int Unreachable(CallTarget target) => Fail(HostErrorCode.NodeUnreachable,
        $"{target}: node `{target.Node}` cannot be reached (this node, `{_environment.Options.NodeName}`, has no connections to other nodes)");

    /// <summary>Finds the callee on this node, refusing handlers (for reducers) and re-entry.</summary>
    private bool TryResolve(CallScope scope, CallTarget target, bool query, out LoadedModule callee, out FunctionBinding function, out int failed)
    {
        function = null!;
        if (!_environment.Modules.TryGet(target.Module, out callee))
        {
            failed = Fail(HostErrorCode.NoSuchModule, $"{target}: no module `{target.Module}` is loaded on this node");
            return false;
        }
        var found = query ? callee.FindQuery(target.Name) : callee.FindReducer(target.Name);
        if (found is null)
        {
            failed = Fail(HostErrorCode.NoSuchFunction, $"{target}: module `{target.Module}` has no {(query ? "query" : "reducer")} `{target.Name}`");
            return false;
        }
        if (found.IsHandler)
        {
            failed = Fail(HostErrorCode.NoSuchFunction, $"{target}: the reducer handles a subscription; only the node calls it");
            return false;
        }
        if (scope.IsOnStack(callee))
        {
            failed = Fail(HostErrorCode.CallCycle, $"{target}: the call would re-enter module `{callee.Name}`, which is already on the call stack ({scope.DescribeStack(callee)})");
            return false;
        }
        function = found;
        failed = 0;
        return true;
    }

    private bool TryValidateArguments(FunctionBinding function, ReadOnlySpan<byte> arguments, out int failed)
    {
        try
        {
            function.ArgsValidator.Validate(arguments);
            failed = 0;
            return true;
        }
        catch (AbiDecodeException e)
        {
            failed = Fail(HostErrorCode.InvalidArgument, $"{function}: the arguments do not decode as {function.ArgsType}: {e.Message}");
            return false;
        }
    }
}
