using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>
/// Compiles a validated module to one collectible dynamic assembly holding one type: a subclass
/// of <see cref="InstanceContext"/> (see <see cref="ContextLayout"/>) whose static methods are the
/// module's functions (<c>f{index}</c>, fully optimised on first call) and their stubs
/// (see <see cref="StubCompiler"/>).
/// </summary>
internal sealed class ModuleCompiler
{
    private readonly MethodBuilder[] _methods;
    private readonly int[] _frameEstimates;

    private ModuleCompiler(ModuleDefinition definition, CompilerOptions options, TypeBuilder type)
    {
        Definition = definition;
        Options = options;
        Signatures = new Signature[definition.Types.Length];
        for (int i = 0; i < Signatures.Length; i++) Signatures[i] = Signature.For(definition.Types[i]);
        Layout = new ContextLayout(definition, type, Signatures);

        int defined = definition.FunctionTypeIndices.Length;
        _methods = new MethodBuilder[defined];
        _frameEstimates = new int[defined];
        for (int i = 0; i < defined; i++)
        {
            int functionIndex = definition.ImportedFunctionCount + i;
            var signature = GetFunctionSignature(functionIndex);
            _methods[i] = DefineStaticMethod(Backtraces.MethodName(functionIndex), signature, [.. signature.ParameterTypes, .. FunctionArgumentTypes(options), type]);
            _methods[i].SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
            var body = definition.Bodies[i];
            _frameEstimates[i] = (int)Math.Min(int.MaxValue, 256L + 16L * (signature.ParameterTypes.Length + body.LocalCount) + 2L * body.CodeLength);
        }
    }

    public ModuleDefinition Definition { get; }
    public CompilerOptions Options { get; }
    public ContextLayout Layout { get; }
    public Signature[] Signatures { get; }

    /// <summary>What <see cref="CompiledModule.VersionedLoopWarmUps"/> gets: the function compilers add to it.</summary>
    public List<int> VersionedLoopWarmUps { get; } = [];

    public Signature GetFunctionSignature(int functionIndex) => Signatures[Definition.GetFunctionTypeIndex(functionIndex)];

    public MethodBuilder GetFunctionMethod(int functionIndex) => _methods[functionIndex - Definition.ImportedFunctionCount];

    /// <summary>
    /// The arguments every compiled function takes between its WebAssembly parameters and the
    /// context: the fuel left (when fuel is consumed) and the calls left before the depth limit.
    /// Passing them in registers keeps them off memory, where each call would wait for the
    /// caller's store to reach the callee's load (see <see cref="FunctionCompiler"/>).
    /// </summary>
    public static Type[] FunctionArgumentTypes(CompilerOptions options) =>
        options.ConsumeFuel ? [typeof(long), typeof(int)] : [typeof(int)];

    /// <summary>A generous estimate of the native stack frame of a defined function, in bytes.</summary>
    public int FrameEstimate(int functionIndex) => _frameEstimates[functionIndex - Definition.ImportedFunctionCount];

    /// <summary>
    /// Defines a static method with the canonical result convention: the first result returned,
    /// the others through trailing <c>out</c> parameters after <paramref name="leading"/>.
    /// </summary>
    public MethodBuilder DefineStaticMethod(string name, Signature signature, Type[] leading)
    {
        var parameters = new Type[leading.Length + signature.OutTypes.Length];
        leading.CopyTo(parameters, 0);
        for (int i = 0; i < signature.OutTypes.Length; i++) parameters[leading.Length + i] = signature.OutTypes[i].MakeByRefType();
        var method = Layout.Builder.DefineMethod(name, MethodAttributes.Assembly | MethodAttributes.Static, signature.ReturnType, parameters);
        for (int i = 0; i < signature.OutTypes.Length; i++) method.DefineParameter(leading.Length + i + 1, ParameterAttributes.Out, "result" + (i + 1));
        return method;
    }

    public static CompiledModule Compile(ModuleDefinition definition, CompilerOptions options, string displayName)
    {
        var assemblyName = new AssemblyName("wasm-" + displayName);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(assemblyName, AssemblyBuilderAccess.RunAndCollect);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!,
            [typeof(InstanceContext).Assembly.GetName().Name!]));
        var type = assembly.DefineDynamicModule(assemblyName.Name!)
            .DefineType("WasmModule", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(InstanceContext));
        var constructor = type.DefineDefaultConstructor(MethodAttributes.Public);

        var compiler = new ModuleCompiler(definition, options, type);
        compiler.Layout.DefineFactory(constructor);
        compiler.Layout.DefineBind();

        var referenceable = FindReferenceableFunctions(definition);
        var stubs = new StubCompiler(compiler);
        int functionCount = definition.FunctionCount;
        for (int i = definition.ImportedFunctionCount; i < functionCount; i++)
        {
            if (referenceable[i]) stubs.DefineThunk(i);
            if (NeedsEntry(definition, referenceable, i)) stubs.DefineEntry(i);
        }

        for (int i = definition.ImportedFunctionCount; i < functionCount; i++)
            new FunctionCompiler(compiler, i, compiler.GetFunctionMethod(i)).Compile();

        var created = type.CreateType();
        var methods = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var method in created.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            methods[method.Name] = method;

        var thunks = new MethodInfo?[functionCount];
        var entries = new MethodInfo?[functionCount];
        for (int i = definition.ImportedFunctionCount; i < functionCount; i++)
        {
            thunks[i] = methods.GetValueOrDefault(StubCompiler.ThunkName(i));
            entries[i] = methods.GetValueOrDefault(StubCompiler.EntryName(i));
        }

        var compiled = new CompiledModule
        {
            Definition = definition,
            Options = options,
            CreateContext = methods[ContextLayout.FactoryName].CreateDelegate<Func<InstanceContext>>(),
            Bind = methods[ContextLayout.BindName].CreateDelegate<Action<InstanceContext, Value[]>>(),
            Thunks = thunks,
            Entries = entries,
            Signatures = compiler.Signatures,
            GlobalIsCell = compiler.Layout.GlobalIsCell,
            DisplayName = displayName,
            VersionedLoopWarmUps = [.. compiler.VersionedLoopWarmUps],
        };
        Backtraces.Register(created.Assembly, compiled);
        return compiled;
    }

    /// <summary>Exported functions and the start function get a host entry stub.</summary>
    private static bool NeedsEntry(ModuleDefinition definition, bool[] referenceable, int functionIndex) =>
        definition.StartFunction == functionIndex || (referenceable[functionIndex] && IsExported(definition, functionIndex));

    private static bool IsExported(ModuleDefinition definition, int functionIndex)
    {
        foreach (var export in definition.Exports)
            if (export.Kind == ExternalKind.Function && export.Index == functionIndex) return true;
        return false;
    }

    /// <summary>
    /// Functions that can become funcrefs: named by an export, an element segment or a global
    /// initializer (validation guarantees <c>ref.func</c> in code only names these).
    /// </summary>
    private static bool[] FindReferenceableFunctions(ModuleDefinition definition)
    {
        var referenceable = new bool[definition.FunctionCount];
        foreach (var export in definition.Exports)
            if (export.Kind == ExternalKind.Function) referenceable[export.Index] = true;
        foreach (var segment in definition.Elements)
        {
            if (segment.FunctionIndices is { } indices)
            {
                foreach (int index in indices) referenceable[index] = true;
            }
            else
            {
                foreach (var expression in segment.Expressions!)
                    if (ConstantExpressions.ReferencedFunction(definition, expression) is { } index) referenceable[index] = true;
            }
        }
        foreach (var global in definition.Globals)
            if (ConstantExpressions.ReferencedFunction(definition, global.Initializer) is { } index) referenceable[index] = true;
        return referenceable;
    }
}
