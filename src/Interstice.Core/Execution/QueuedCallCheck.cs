using Interstice.Core.Modules;
using Interstice.Core.Subscriptions;

namespace Interstice.Core.Execution;

/// <summary>
/// Whether a call queued in a table (a scheduled call; a subscription handler call left owed)
/// can still run on the module loaded now: the module may have been reloaded with other reducers
/// since, or the row damaged or forged. A call that cannot run is dropped with the problem
/// these checks name. The executor checks before it runs such a call; <c>log verify</c>'s
/// start rehearsal checks owed handler calls the same way, against the modules' binaries.
/// </summary>
internal static class QueuedCallCheck
{
    /// <summary>
    /// Why reducer <paramref name="name"/> of <paramref name="module"/> can no longer be called
    /// with <paramref name="arguments"/> as a handler (<paramref name="handler"/>) or a plain
    /// reducer: it is gone, is not (or, for a scheduled call, is now) a subscription handler, or
    /// the arguments no longer decode as its parameters; null when it can (then
    /// <paramref name="reducer"/> is it).
    /// </summary>
    public static string? Problem(ModuleFunctions module, string name, byte[] arguments, bool handler, out FunctionBinding? reducer)
    {
        reducer = module.FindReducer(name);
        if (reducer is null) return $"module {module.Module} no longer has a reducer `{name}`";
        if (reducer.IsHandler != handler) return handler ? $"{reducer} no longer handles a subscription" : $"{reducer} now handles a subscription";
        try
        {
            reducer.ArgsValidator.Validate(arguments);
            return null;
        }
        catch (Abi.Encoding.AbiDecodeException e)
        {
            return $"its arguments no longer decode as {reducer.ArgsType}: {e.Message}";
        }
    }

    /// <summary>
    /// Why owed handler call <paramref name="row"/> cannot run, <paramref name="module"/> being
    /// its module as loaded (null: not loaded), or null when it can (then <paramref name="reducer"/> is its handler).
    /// </summary>
    public static string? Problem(PendingHandlerTable.Row row, ModuleFunctions? module, int maxSubscriptionDepth, out FunctionBinding? reducer)
    {
        reducer = null;
        if (module is null) return $"module {row.Module} is not loaded";
        // A depth the node would not have queued (a damaged or forged row) must not get past the cascade's limit.
        if (row.Depth < 1 || row.Depth > maxSubscriptionDepth)
            return $"its depth {row.Depth} is not within 1 to {maxSubscriptionDepth} (NodeOptions.MaxSubscriptionDepth)";
        return Problem(module, row.Reducer, row.Arguments, handler: true, out reducer);
    }
}
