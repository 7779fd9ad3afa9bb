using System.Reflection.Emit;
using Interstice.Wasm.Runtime;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Calls. A call to a function of the module is a CIL <c>call</c> with the fuel left, the depth
/// left and the context pushed after the arguments; a call to an import or through a table
/// invokes a canonical delegate, which must be pushed before the arguments, so those are first
/// stored in temporaries, and fuel and depth go through the context.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void Call(int functionIndex)
    {
        var signature = _module.GetFunctionSignature(functionIndex);
        if (functionIndex < _definition.ImportedFunctionCount)
        {
            WriteBackFuelAndDepth();
            var arguments = SpillTop(signature.ParameterTypes.Length);
            LoadContext();
            _il.Emit(OpCodes.Ldfld, _module.Layout.ImportFields[functionIndex]);
            InvokeCanonical(signature, arguments);
        }
        else
        {
            FlushFuel();
            int frame = _module.FrameEstimate(functionIndex);
            if (frame > StackLimits.SmallFrameBytes) EmitStackCheck(frame);
            if (_fuel is not null) _il.Emit(OpCodes.Ldloc, _fuel);
            LoadArgument(_depthArgument);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Sub);
            LoadContext();
            var results = LoadOutResultAddresses(signature);
            _il.Emit(OpCodes.Call, _module.GetFunctionMethod(functionIndex));
            FinishCall(signature, results);
        }
    }

    private void CallIndirect(int typeIndex, int tableIndex)
    {
        var signature = _module.Signatures[typeIndex];
        var index = _temps.Rent(typeof(int));
        _il.Emit(OpCodes.Stloc, index);
        Pop();
        WriteBackFuelAndDepth();
        var arguments = SpillTop(signature.ParameterTypes.Length);
        _il.Emit(OpCodes.Ldloc, index);
        _temps.Return(index);
        LoadTable(tableIndex);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.TableElements);
        _il.Emit(OpCodes.Ldc_I4, signature.Id);
        _il.Emit(OpCodes.Call, RuntimeMembers.FunctionForCall);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionCallee);
        InvokeCanonical(signature, arguments);
    }

    /// <summary>Before a call through a delegate: the fuel and depth left go to the context, where stubs and host functions find them.</summary>
    private void WriteBackFuelAndDepth()
    {
        WriteBackFuel();
        LoadContext();
        LoadArgument(_depthArgument);
        _il.Emit(OpCodes.Stfld, RuntimeMembers.DepthLeft);
    }

    /// <summary>With the delegate on the stack: pushes the caller and the spilled arguments, invokes, pushes the results.</summary>
    private void InvokeCanonical(Signature signature, LocalBuilder[] arguments)
    {
        LoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextCaller);
        foreach (var argument in arguments)
        {
            _il.Emit(OpCodes.Ldloc, argument);
            _temps.Return(argument);
        }
        var results = LoadOutResultAddresses(signature);
        _il.Emit(OpCodes.Callvirt, signature.Invoke);
        FinishCall(signature, results);
    }

    /// <summary>Pushes the addresses of temporaries that receive the results after the first.</summary>
    private LocalBuilder[] LoadOutResultAddresses(Signature signature)
    {
        var results = new LocalBuilder[signature.OutTypes.Length];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = _temps.Rent(signature.OutTypes[i]);
            _il.Emit(OpCodes.Ldloca, results[i]);
        }
        return results;
    }

    /// <summary>After a call: the tracked stack, the out results pushed, and what the callee may have changed reloaded.</summary>
    private void FinishCall(Signature signature, LocalBuilder[] outResults)
    {
        Pop(signature.ParameterTypes.Length);
        foreach (var type in signature.Type.Results) Push(type);
        ReloadAndReturn(outResults);
        ReloadFuel();
        ReloadMemorySize();
    }
}
