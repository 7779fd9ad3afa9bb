using System.Reflection;
using System.Reflection.Emit;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Turns host delegates into funcrefs: the canonical delegate of the function's signature either
/// is the host's delegate itself (when it has exactly that type, e.g. <c>Func&lt;Caller, int, int&gt;</c>),
/// or a small dynamic method that calls the host's method directly.
/// </summary>
internal static class HostFunctions
{
    /// <summary>Infers the function type of a typed host delegate: an optional leading <see cref="Caller"/>, then parameters, then results (return value first, then <c>out</c> parameters).</summary>
    public static FunctionType InferType(Delegate host, out bool takesCaller)
    {
        var invoke = host.GetType().GetMethod("Invoke")!;
        var parameters = invoke.GetParameters();
        takesCaller = parameters.Length > 0 && parameters[0].ParameterType == typeof(Caller);
        var wasmParameters = new List<ValueType>();
        var results = new List<ValueType>();
        if (invoke.ReturnType != typeof(void)) results.Add(Map(invoke.ReturnType, "return type"));
        for (int i = takesCaller ? 1 : 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.IsOut)
            {
                if (results.Count == 0) throw new ArgumentException("a host function with out parameters must return its first result", nameof(host));
                results.Add(Map(parameter.ParameterType.GetElementType()!, $"out parameter {parameter.Name}"));
            }
            else
            {
                if (results.Count > 1) throw new ArgumentException("out parameters must come after all the other parameters", nameof(host));
                wasmParameters.Add(Map(parameter.ParameterType, $"parameter {parameter.Name}"));
            }
        }
        return new FunctionType([.. wasmParameters], [.. results]);

        static ValueType Map(Type type, string what) => ClrTypes.FromClr(type)
            ?? throw new ArgumentException($"the host function's {what} has type {type}, which is no WebAssembly type (use int, long, float, double, Vector128<byte>, Function or object)");
    }

    public static Function FromDelegate(Delegate host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var signature = Signature.For(InferType(host, out bool takesCaller));
        if (host.GetType() == signature.DelegateType) return new Function(signature, host, null, -1, host);
        return new Function(signature, CreateAdapter(host, signature, takesCaller), null, -1, host);
    }

    public static Function FromCallback(FunctionType type, HostFunctionCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        foreach (var t in type.Parameters) ClrTypes.Of(t);
        foreach (var t in type.Results) ClrTypes.Of(t);
        var signature = Signature.For(type);
        return new Function(signature, CreateUntypedAdapter(new UntypedHostFunction(type, callback), signature), null, -1);
    }

    /// <summary>Adapter from the canonical signature to the host's delegate, calling the host's method directly when it can.</summary>
    private static Delegate CreateAdapter(Delegate host, Signature signature, bool takesCaller)
    {
        var method = host.Method;
        object? target = host.Target;
        // Calling the method itself saves a delegate invocation; only for plain methods of ordinary assemblies.
        bool direct = host.GetInvocationList().Length == 1 && method is not DynamicMethod && !method.IsVirtual
            && method.DeclaringType is { } declaring && !declaring.Assembly.IsDynamic && !declaring.Assembly.IsCollectible
            && (method.IsStatic ? target is null : target is not null && !target.GetType().IsValueType);

        Type closureType = direct ? (method.IsStatic ? typeof(object) : target!.GetType()) : host.GetType();
        var parameterTypes = DelegateParameters(signature).Prepend(closureType).ToArray();
        var adapter = new DynamicMethod("host " + signature.Type, signature.ReturnType, parameterTypes, typeof(HostFunctions).Module, skipVisibility: true);
        var il = adapter.GetILGenerator();
        if (!direct || !method.IsStatic) il.Emit(OpCodes.Ldarg_0);
        if (takesCaller) il.Emit(OpCodes.Ldarg_1);
        for (int i = 2; i < parameterTypes.Length; i++) il.Emit(OpCodes.Ldarg, i);
        if (direct) il.Emit(OpCodes.Call, method);
        else il.Emit(OpCodes.Callvirt, host.GetType().GetMethod("Invoke")!);
        il.Emit(OpCodes.Ret);
        return adapter.CreateDelegate(signature.DelegateType, direct ? target : host);
    }

    private static Delegate CreateUntypedAdapter(UntypedHostFunction host, Signature signature)
    {
        var parameterTypes = DelegateParameters(signature).Prepend(typeof(UntypedHostFunction)).ToArray();
        var adapter = new DynamicMethod("host " + signature.Type, signature.ReturnType, parameterTypes, typeof(HostFunctions).Module, skipVisibility: true);
        var il = adapter.GetILGenerator();
        var parameters = signature.Type.Parameters;
        var results = signature.Type.Results;
        var arguments = il.DeclareLocal(typeof(Value[]));
        il.Emit(OpCodes.Ldc_I4, parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(Value));
        il.Emit(OpCodes.Stloc, arguments);
        for (int i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, arguments);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Ldarg, 2 + i);
            il.Emit(OpCodes.Call, UntypedInvokers.PackMethod(parameters[i]));
            il.Emit(OpCodes.Stobj, typeof(Value));
        }
        var resultValues = il.DeclareLocal(typeof(Value[]));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldloc, arguments);
        il.Emit(OpCodes.Call, typeof(UntypedHostFunction).GetMethod(nameof(UntypedHostFunction.Call))!);
        il.Emit(OpCodes.Stloc, resultValues);
        for (int i = 1; i < results.Length; i++)
        {
            il.Emit(OpCodes.Ldarg, 2 + parameters.Length + i - 1);
            LoadResult(il, resultValues, i, results[i]);
            il.Emit(OpCodes.Stobj, signature.OutTypes[i - 1]);
        }
        if (results.Length > 0) LoadResult(il, resultValues, 0, results[0]);
        il.Emit(OpCodes.Ret);
        return adapter.CreateDelegate(signature.DelegateType, host);

        static void LoadResult(ILGenerator il, LocalBuilder values, int index, ValueType type)
        {
            il.Emit(OpCodes.Ldloc, values);
            il.Emit(OpCodes.Ldc_I4, index);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, UntypedInvokers.UnpackMethod(type));
        }
    }

    /// <summary>The canonical delegate's parameters: the caller, the wasm parameters, then by-ref results after the first.</summary>
    private static IEnumerable<Type> DelegateParameters(Signature signature) =>
        signature.ParameterTypes.Prepend(typeof(Caller)).Concat(signature.OutTypes.Select(t => t.MakeByRefType()));

    /// <summary>An untyped host function and its type, called by its generated adapter.</summary>
    internal sealed class UntypedHostFunction(FunctionType type, HostFunctionCallback callback)
    {
        public Value[] Call(Caller caller, Value[] arguments)
        {
            var resultTypes = type.Results;
            var results = resultTypes.Length == 0 ? [] : new Value[resultTypes.Length];
            for (int i = 0; i < results.Length; i++) results[i] = Value.Default(resultTypes[i]);
            callback(caller, arguments, results);
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i].Type != resultTypes[i])
                    throw new InvalidOperationException($"host function {type} returned a {results[i].Type.ToWatName()} as result {i}, expected {resultTypes[i].ToWatName()}");
                if (resultTypes[i] == ValueType.FuncRef && results[i].Reference is not (null or Function))
                    throw new InvalidOperationException($"host function {type} returned a non-function as funcref result {i}");
            }
            return results;
        }
    }
}
