using System.Reflection;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm;

/// <summary>
/// A function reference: an instance's function (exported, in a table, or a <c>funcref</c>
/// value) or a host function. Call it with untyped <see cref="Value"/>s through
/// <see cref="Invoke(ReadOnlySpan{Value}, Span{Value})"/>, or get a typed delegate with
/// <see cref="AsDelegate{TDelegate}"/> for fast repeated calls.
/// </summary>
public sealed class Function
{
    // Read by generated code: call_indirect compares the signature id, then invokes the callee,
    // a delegate of the signature's canonical type (see Signature).
    internal readonly int SignatureId;
    internal readonly Delegate Callee;

    internal readonly Signature Signature;

    /// <summary>The owning instance's context; null for host functions.</summary>
    internal readonly InstanceContext? Context;

    /// <summary>Index in the owning module's function index space; -1 for host functions.</summary>
    internal readonly int Index;

    /// <summary>For host functions: the delegate the host gave, kept for <see cref="AsDelegate{TDelegate}"/>.</summary>
    private readonly Delegate? _hostDelegate;

    internal Function(Signature signature, Delegate callee, InstanceContext? context, int index, Delegate? hostDelegate = null)
    {
        Signature = signature;
        SignatureId = signature.Id;
        Callee = callee;
        Context = context;
        Index = index;
        _hostDelegate = hostDelegate;
    }

    public FunctionType Type => Signature.Type;

    /// <summary>The instance the function belongs to; null for host functions.</summary>
    public Instance? Instance => Context?.Instance;

    /// <summary>The function's name from its module's <c>name</c> section, if any.</summary>
    public string? Name => Context?.Module.Definition.Names.GetFunctionName(Index);

    /// <summary>
    /// Calls the function. <paramref name="arguments"/> must match the parameter types; the
    /// results are written to the start of <paramref name="results"/>, which must be long enough.
    /// Throws <see cref="TrapException"/> when execution traps.
    /// </summary>
    public void Invoke(ReadOnlySpan<Value> arguments, Span<Value> results)
    {
        var parameters = Type.Parameters;
        if (arguments.Length != parameters.Length)
            throw new ArgumentException($"{this} takes {parameters.Length} arguments, not {arguments.Length}", nameof(arguments));
        for (int i = 0; i < parameters.Length; i++)
        {
            if (arguments[i].Type != parameters[i])
                throw new ArgumentException($"argument {i} of {this} must be {parameters[i].ToWatName()}, not {arguments[i].Type.ToWatName()}", nameof(arguments));
            if (parameters[i] == ValueType.FuncRef && arguments[i].Reference is not (null or Function))
                throw new ArgumentException($"argument {i} of {this} must be a Function or null", nameof(arguments));
        }
        if (results.Length < Type.Results.Length)
            throw new ArgumentException($"{this} has {Type.Results.Length} results; the span holds {results.Length}", nameof(results));

        var context = Context;
        if (context is null)
        {
            Signature.Invoker(this, Caller.Host, arguments, results);
            return;
        }
        var state = HostEntry.Enter(context);
        try
        {
            Signature.Invoker(this, context.Caller, arguments, results);
        }
        finally
        {
            HostEntry.Exit(context, state);
        }
    }

    /// <summary>Calls the function and returns its results in a new array.</summary>
    public Value[] Invoke(params ReadOnlySpan<Value> arguments)
    {
        var results = Type.Results.Length == 0 ? [] : new Value[Type.Results.Length];
        Invoke(arguments, results);
        return results;
    }

    /// <summary>
    /// A typed delegate that calls this function, e.g. <c>Func&lt;int, int, int&gt;</c> for
    /// <c>(i32, i32) -> i32</c>. Parameter and return types map as int = i32, long = i64,
    /// float = f32, double = f64, <see cref="Function"/> = funcref, object = externref; results
    /// after the first are <c>out</c> parameters after the others. For an instance's own function
    /// a call costs one delegate invocation plus the entry into WebAssembly.
    /// </summary>
    public TDelegate AsDelegate<TDelegate>() where TDelegate : Delegate
    {
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        CheckDelegateShape(invoke);
        if (_hostDelegate is TDelegate same) return same;
        if (Context is { } context && context.Module.GetEntryMethod(Index) is { } entry)
            return (TDelegate)entry.CreateDelegate(typeof(TDelegate), context);
        return TypedEntries.Create<TDelegate>(this);
    }

    private void CheckDelegateShape(MethodInfo invoke)
    {
        var parameters = invoke.GetParameters();
        bool matches = parameters.Length == Signature.ParameterTypes.Length + Signature.OutTypes.Length
            && invoke.ReturnType == Signature.ReturnType;
        for (int i = 0; matches && i < parameters.Length; i++)
        {
            matches = i < Signature.ParameterTypes.Length
                ? parameters[i].ParameterType == Signature.ParameterTypes[i]
                : parameters[i].IsOut && parameters[i].ParameterType == Signature.OutTypes[i - Signature.ParameterTypes.Length].MakeByRefType();
        }
        if (!matches)
            throw new ArgumentException($"delegate type {invoke.DeclaringType} does not match {this} {Type}: expected parameters ({string.Join(", ", Signature.ParameterTypes.Select(t => t.Name).Concat(Signature.OutTypes.Select(t => "out " + t.Name)))}) returning {Signature.ReturnType.Name}");
    }

    public override string ToString() =>
        Context is null ? "host function" : $"function {Index}{(Name is { } name ? " $" + name : "")}";
}
