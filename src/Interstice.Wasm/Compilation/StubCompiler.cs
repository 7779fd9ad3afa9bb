using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// The small methods around a compiled function <c>f{i}</c>:
/// <list type="bullet">
/// <item><c>t{i}(Context self, Caller caller, P..., out R...)</c>: the target of the function's
/// canonical delegate (closed over <c>self</c>), used by tables, imports and the untyped API.
/// A caller of the same instance goes straight to <c>f{i}</c>; another instance goes through
/// <c>x{i}</c>.</item>
/// <item><c>x{i}</c>: entry from another instance, which hands over its stack limit and call depth
/// (<see cref="HostEntry.EnterFrom"/>) and gets them back afterwards, even after a trap.</item>
/// <item><c>e{i}(Context self, P..., out R...)</c>: entry from the host (exported functions and the
/// start function), the target of typed delegates: sets up the entry and restores the state
/// afterwards, even after a trap.</item>
/// </list>
/// Functions with big frames get an explicit stack check here, before their frame is allocated.
/// </summary>
internal sealed class StubCompiler(ModuleCompiler module)
{
    public static string ThunkName(int functionIndex) => "t" + functionIndex.ToString(CultureInfo.InvariantCulture);
    public static string CrossName(int functionIndex) => "x" + functionIndex.ToString(CultureInfo.InvariantCulture);
    public static string EntryName(int functionIndex) => "e" + functionIndex.ToString(CultureInfo.InvariantCulture);

    private Type ContextType => module.Layout.Builder;

    public void DefineThunk(int functionIndex)
    {
        var signature = module.GetFunctionSignature(functionIndex);
        Type[] leading = [ContextType, typeof(Caller), .. signature.ParameterTypes];
        var cross = module.DefineStaticMethod(CrossName(functionIndex), signature, leading);
        EmitCross(cross.GetILGenerator(), functionIndex, signature);

        var thunk = module.DefineStaticMethod(ThunkName(functionIndex), signature, leading);
        var il = thunk.GetILGenerator();
        var crossInstance = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.CallerContext);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Bne_Un, crossInstance);
        EmitBigFrameCheck(il, functionIndex);
        EmitCallFunction(il, functionIndex, signature, firstParameter: 2);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(crossInstance);
        for (int i = 0; i < leading.Length + signature.OutTypes.Length; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Call, cross);
        il.Emit(OpCodes.Ret);
    }

    private void EmitCross(ILGenerator il, int functionIndex, Signature signature)
    {
        var state = il.DeclareLocal(typeof(HostEntry.State));
        var result = signature.ReturnType == typeof(void) ? null : il.DeclareLocal(signature.ReturnType);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.CallerContext);
        il.Emit(OpCodes.Call, RuntimeMembers.HostEnterFrom);
        il.Emit(OpCodes.Stloc, state);
        EmitGuardedCall(il, functionIndex, signature, firstParameter: 2, state, result);
    }

    public void DefineEntry(int functionIndex)
    {
        var signature = module.GetFunctionSignature(functionIndex);
        var entry = module.DefineStaticMethod(EntryName(functionIndex), signature, [ContextType, .. signature.ParameterTypes]);
        var il = entry.GetILGenerator();
        var state = il.DeclareLocal(typeof(HostEntry.State));
        var result = signature.ReturnType == typeof(void) ? null : il.DeclareLocal(signature.ReturnType);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, RuntimeMembers.HostEnter);
        il.Emit(OpCodes.Stloc, state);
        EmitGuardedCall(il, functionIndex, signature, firstParameter: 1, state, result);
    }

    /// <summary>
    /// Calls the function with <see cref="HostEntry.Exit"/> after it, on the normal path and, in a
    /// fault handler, when it throws (a fault handler, unlike a finally, costs nothing on the
    /// normal path), then returns its result.
    /// </summary>
    private void EmitGuardedCall(ILGenerator il, int functionIndex, Signature signature, int firstParameter, LocalBuilder state, LocalBuilder? result)
    {
        il.BeginExceptionBlock();
        EmitBigFrameCheck(il, functionIndex);
        EmitCallFunction(il, functionIndex, signature, firstParameter);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        il.BeginFaultBlock();
        EmitExit(il, state);
        il.EndExceptionBlock();
        EmitExit(il, state);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
    }

    private static void EmitExit(ILGenerator il, LocalBuilder state)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, state);
        il.Emit(OpCodes.Call, RuntimeMembers.HostExit);
    }

    /// <summary>Calls <c>f{i}</c> with the stub's wasm parameters (from <paramref name="firstParameter"/>), the context (argument 0) and the out parameters that follow.</summary>
    private void EmitCallFunction(ILGenerator il, int functionIndex, Signature signature, int firstParameter)
    {
        int count = signature.ParameterTypes.Length;
        for (int i = 0; i < count; i++) il.Emit(OpCodes.Ldarg, firstParameter + i);
        il.Emit(OpCodes.Ldarg_0);
        for (int i = 0; i < signature.OutTypes.Length; i++) il.Emit(OpCodes.Ldarg, firstParameter + count + i);
        il.Emit(OpCodes.Call, module.GetFunctionMethod(functionIndex));
    }

    /// <summary>For a function whose frame may not fit in the stack margin: traps unless the frame fits above the limit.</summary>
    private void EmitBigFrameCheck(ILGenerator il, int functionIndex)
    {
        int frame = module.FrameEstimate(functionIndex);
        if (frame <= StackLimits.SmallFrameBytes) return;
        var probe = il.DeclareLocal(typeof(int));
        var ok = il.DefineLabel();
        il.Emit(OpCodes.Ldloca, probe);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldc_I4, frame);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.StackLimit);
        il.Emit(OpCodes.Bge_Un, ok);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, frame);
        FunctionCompiler.EmitThrowUnlessNull(il, RuntimeMembers.CheckStackFailure);
        il.MarkLabel(ok);
    }
}
