using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

using Interstice.Wasm.Compilation;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Builds WebAssembly backtraces from .NET stack traces: every compiled function is a method named
/// <c>f{index}</c> in its module's dynamic assembly, which maps back to the module and, through
/// its <c>name</c> section, to a function name. A function the JIT inlined into another
/// function does not appear (one inlined into its entry stub does). Computed from the trap's own
/// stack trace when first asked for, so traps nobody inspects cost no stack walk.
/// </summary>
internal static class Backtraces
{
    private static readonly ConditionalWeakTable<Assembly, CompiledModule> s_modules = new();

    public static void Register(Assembly assembly, CompiledModule module) => s_modules.AddOrUpdate(assembly, module);

    /// <summary>The name of the method compiled from function <paramref name="functionIndex"/>.</summary>
    public static string MethodName(int functionIndex) => "f" + functionIndex.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<WasmFrame> Capture(Exception exception)
    {
        var frames = new List<WasmFrame>();
        CompiledModule? previousModule = null;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod() is not { } method || method.DeclaringType is not { } type) continue;
            if (!s_modules.TryGetValue(type.Assembly, out var module)) continue;
            string name = method.Name;
            if (name.Length < 2 || !int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)) continue;
            // A stub (entry e, thunk t, cross-instance x) right above its function means nothing;
            // without the function's own frame, the JIT inlined the function into the stub.
            bool isFunction = name[0] == 'f';
            bool isStub = name[0] is 'e' or 't' or 'x';
            if (!isFunction && !isStub) continue;
            if (isStub && frames.Count > 0 && previousModule == module && frames[^1].FunctionIndex == index) continue;
            var names = module.Definition.Names;
            frames.Add(new WasmFrame(names.ModuleName, index, names.GetFunctionName(index)));
            previousModule = module;
        }
        return frames;
    }
}
