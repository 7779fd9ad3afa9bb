using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// The process-wide canonical form of a function type: a small integer id (compared by
/// <c>call_indirect</c>) and one delegate type shared by every module, of the shape
/// <c>R1 (Caller caller, P1 ... Pn, out R2 ... out Rm)</c>. Every funcref holds a delegate of its
/// signature's type, so calling one is a single delegate invocation.
/// </summary>
internal sealed class Signature
{
    private static readonly ConcurrentDictionary<FunctionType, Signature> s_byType = new();
    private static int s_nextId;

    private Signature(FunctionType type, int id)
    {
        Type = type;
        Id = id;
        var parameters = type.Parameters;
        var results = type.Results;
        ParameterTypes = new Type[parameters.Length];
        for (int i = 0; i < parameters.Length; i++) ParameterTypes[i] = ClrTypes.Of(parameters[i]);
        ReturnType = results.Length == 0 ? typeof(void) : ClrTypes.Of(results[0]);
        OutTypes = new Type[Math.Max(0, results.Length - 1)];
        for (int i = 1; i < results.Length; i++) OutTypes[i - 1] = ClrTypes.Of(results[i]);

        var delegateSignature = new Type[1 + ParameterTypes.Length + OutTypes.Length + 1];
        delegateSignature[0] = typeof(Caller);
        ParameterTypes.CopyTo(delegateSignature, 1);
        for (int i = 0; i < OutTypes.Length; i++) delegateSignature[1 + ParameterTypes.Length + i] = OutTypes[i].MakeByRefType();
        delegateSignature[^1] = ReturnType;
        DelegateType = Expression.GetDelegateType(delegateSignature);
        Invoke = DelegateType.GetMethod("Invoke")!;
    }

    public static Signature For(FunctionType type) => s_byType.GetOrAdd(type, static t => new Signature(t, Interlocked.Increment(ref s_nextId)));

    public FunctionType Type { get; }

    /// <summary>Unique in the process; equal ids mean equal function types.</summary>
    public int Id { get; }

    /// <summary>The canonical delegate type: <c>(Caller, P1..Pn, out R2..out Rm) -> R1</c>.</summary>
    public Type DelegateType { get; }

    /// <summary>The delegate type's <c>Invoke</c> method.</summary>
    public MethodInfo Invoke { get; }

    /// <summary>CLR types of the wasm parameters.</summary>
    public Type[] ParameterTypes { get; }

    /// <summary>CLR type of the first result, or <see cref="void"/>.</summary>
    public Type ReturnType { get; }

    /// <summary>CLR types of the results after the first, passed back through <c>out</c> parameters.</summary>
    public Type[] OutTypes { get; }

    /// <summary>Calls a funcref of this signature with untyped arguments (built on first use).</summary>
    public UntypedInvoker Invoker => field ??= UntypedInvokers.Create(this);
}
