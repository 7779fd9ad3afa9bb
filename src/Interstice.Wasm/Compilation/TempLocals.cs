using System.Reflection.Emit;

namespace Interstice.Wasm.Compilation;

/// <summary>A pool of scratch locals by CLR type, so that a function reuses a few temporaries instead of declaring one per use.</summary>
internal sealed class TempLocals(ILGenerator il)
{
    private readonly Dictionary<Type, Stack<LocalBuilder>> _free = [];

    public LocalBuilder Rent(Type type)
    {
        if (_free.TryGetValue(type, out var stack) && stack.Count > 0) return stack.Pop();
        return il.DeclareLocal(type);
    }

    public void Return(LocalBuilder local)
    {
        if (!_free.TryGetValue(local.LocalType, out var stack)) _free[local.LocalType] = stack = new Stack<LocalBuilder>();
        stack.Push(local);
    }
}
