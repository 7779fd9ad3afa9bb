using System.Reflection;
using System.Reflection.Emit;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Typed delegates for funcrefs that have no generated entry stub (host functions, functions
/// reached through tables or re-exported imports): a small dynamic method closed over the
/// <see cref="Function"/> that performs the host entry and invokes the canonical delegate.
/// </summary>
internal static class TypedEntries
{
    private static readonly FieldInfo s_callee = typeof(Function).GetField(nameof(Function.Callee), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_context = typeof(Function).GetField(nameof(Function.Context), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_caller = typeof(InstanceContext).GetField(nameof(InstanceContext.Caller), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_hostCaller = typeof(Caller).GetField(nameof(Caller.Host), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static TDelegate Create<TDelegate>(Function function) where TDelegate : Delegate
    {
        var signature = function.Signature;
        var invoke = typeof(TDelegate).GetMethod("Invoke")!;
        var parameterTypes = invoke.GetParameters().Select(p => p.ParameterType).Prepend(typeof(Function)).ToArray();
        var method = new DynamicMethod("enter " + signature.Type, invoke.ReturnType, parameterTypes, typeof(TypedEntries).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        bool isHost = function.Context is null;
        var result = invoke.ReturnType == typeof(void) ? null : il.DeclareLocal(invoke.ReturnType);

        LocalBuilder? state = null;
        if (!isHost)
        {
            state = il.DeclareLocal(typeof(HostEntry.State));
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, s_context);
            il.Emit(OpCodes.Call, typeof(HostEntry).GetMethod(nameof(HostEntry.Enter))!);
            il.Emit(OpCodes.Stloc, state);
            il.BeginExceptionBlock();
        }

        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_callee);
        il.Emit(OpCodes.Castclass, signature.DelegateType);
        if (isHost)
        {
            il.Emit(OpCodes.Ldsfld, s_hostCaller);
        }
        else
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, s_context);
            il.Emit(OpCodes.Ldfld, s_caller);
        }
        for (int i = 1; i < parameterTypes.Length; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Callvirt, signature.Invoke);
        if (result is not null) il.Emit(OpCodes.Stloc, result);

        if (!isHost)
        {
            il.BeginFinallyBlock();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, s_context);
            il.Emit(OpCodes.Ldloc, state!);
            il.Emit(OpCodes.Call, typeof(HostEntry).GetMethod(nameof(HostEntry.Exit))!);
            il.EndExceptionBlock();
        }
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return (TDelegate)method.CreateDelegate(typeof(TDelegate), function);
    }
}
