using System.Reflection;
using System.Reflection.Emit;

namespace Interstice.Wasm.Runtime;

/// <summary>Calls a funcref's canonical delegate with arguments and results as <see cref="Value"/>s (types already checked).</summary>
internal delegate void UntypedInvoker(Function function, Caller caller, ReadOnlySpan<Value> arguments, Span<Value> results);

/// <summary>Generates one <see cref="UntypedInvoker"/> per signature.</summary>
internal static class UntypedInvokers
{
    private static readonly MethodInfo s_argumentAt = typeof(ReadOnlySpan<Value>).GetMethod("get_Item")!;
    private static readonly MethodInfo s_resultAt = typeof(Span<Value>).GetMethod("get_Item")!;
    private static readonly FieldInfo s_callee = typeof(Function).GetField(nameof(Function.Callee), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public static UntypedInvoker Create(Signature signature)
    {
        var method = new DynamicMethod(
            "invoke " + signature.Type, typeof(void),
            [typeof(Function), typeof(Caller), typeof(ReadOnlySpan<Value>), typeof(Span<Value>)],
            typeof(UntypedInvokers).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var parameters = signature.Type.Parameters;
        var results = signature.Type.Results;

        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_callee);
        il.Emit(OpCodes.Castclass, signature.DelegateType);
        il.Emit(OpCodes.Ldarg_1);
        for (int i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarga_S, (byte)2);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, s_argumentAt);
            il.Emit(OpCodes.Call, UnpackMethod(parameters[i]));
        }
        var outLocals = new LocalBuilder[signature.OutTypes.Length];
        for (int i = 0; i < outLocals.Length; i++)
        {
            outLocals[i] = il.DeclareLocal(signature.OutTypes[i]);
            il.Emit(OpCodes.Ldloca, outLocals[i]);
        }
        il.Emit(OpCodes.Callvirt, signature.Invoke);
        if (results.Length > 0)
        {
            var first = il.DeclareLocal(signature.ReturnType);
            il.Emit(OpCodes.Stloc, first);
            StoreResult(il, 0, results[0], first);
            for (int i = 1; i < results.Length; i++) StoreResult(il, i, results[i], outLocals[i - 1]);
        }
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<UntypedInvoker>();
    }

    private static void StoreResult(ILGenerator il, int index, ValueType type, LocalBuilder local)
    {
        il.Emit(OpCodes.Ldarga_S, (byte)3);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Call, s_resultAt);
        il.Emit(OpCodes.Ldloc, local);
        il.Emit(OpCodes.Call, PackMethod(type));
        il.Emit(OpCodes.Stobj, typeof(Value));
    }

    /// <summary>The <see cref="Value"/> getter that yields a value of <paramref name="type"/> (called on a reference to the value).</summary>
    public static MethodInfo UnpackMethod(ValueType type) => typeof(Value).GetProperty(type switch
    {
        ValueType.I32 => nameof(Value.I32Unchecked),
        ValueType.I64 => nameof(Value.I64Unchecked),
        ValueType.F32 => nameof(Value.F32Unchecked),
        ValueType.F64 => nameof(Value.F64Unchecked),
        ValueType.V128 => nameof(Value.V128Unchecked),
        _ => nameof(Value.Reference),
    }, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!.GetMethod!;

    /// <summary>The static factory that makes a <see cref="Value"/> of <paramref name="type"/> from its CLR form.</summary>
    public static MethodInfo PackMethod(ValueType type) => typeof(Value).GetMethod(type switch
    {
        ValueType.I32 => nameof(Value.FromI32),
        ValueType.I64 => nameof(Value.FromI64),
        ValueType.F32 => nameof(Value.FromF32),
        ValueType.F64 => nameof(Value.FromF64),
        ValueType.V128 => nameof(Value.FromV128),
        ValueType.FuncRef => nameof(Value.FromFunction),
        _ => nameof(Value.FromExternRef),
    })!;
}
