using System.Reflection;
using Interstice.Wasm.Runtime;
using Interstice.Wasm.Structure;

namespace Interstice.Wasm.Compilation;

/// <summary>Options fixed when a module is compiled (they change the generated code).</summary>
internal readonly record struct CompilerOptions(bool ConsumeFuel, bool CanonicalizeNaNs);

/// <summary>
/// A module compiled to a collectible dynamic assembly: one generated <see cref="InstanceContext"/>
/// subclass whose static methods are the module's functions, plus what instantiation needs to set
/// up an instance of it.
/// </summary>
internal sealed class CompiledModule
{
    public required ModuleDefinition Definition { get; init; }
    public required CompilerOptions Options { get; init; }

    /// <summary>Creates an instance of the generated context subclass.</summary>
    public required Func<InstanceContext> CreateContext { get; init; }

    /// <summary>
    /// Copies what the generated fields cache from the context's arrays (imported functions'
    /// delegates, global cells) and sets the private globals to their initial values (indexed by
    /// global index).
    /// </summary>
    public required Action<InstanceContext, Value[]> Bind { get; init; }

    /// <summary>By function index: the method behind a defined function's canonical delegate (<c>t{i}</c>), or null when the function cannot be referenced.</summary>
    public required MethodInfo?[] Thunks { get; init; }

    /// <summary>By function index: the host entry stub (<c>e{i}</c>) of exported functions and the start function, else null.</summary>
    public required MethodInfo?[] Entries { get; init; }

    /// <summary>The canonical signature of each type in the type section.</summary>
    public required Signature[] Signatures { get; init; }

    /// <summary>By global index: whether the global lives in a shared <see cref="Global"/> cell (imported or exported) rather than a field.</summary>
    public required bool[] GlobalIsCell { get; init; }

    /// <summary>The module's name for messages: its <c>name</c> section name, or a prefix of its content hash.</summary>
    public required string DisplayName { get; init; }

    /// <summary>
    /// One entry per loop compiled in two versions (see <see cref="FunctionCompiler"/>'s loop
    /// versioning), in compile order: its <see cref="Versioning.LoopPlan.WarmUpIterations"/>.
    /// Tests read it to know that versioning took place, by the compiler's own conditions.
    /// </summary>
    public required int[] VersionedLoopWarmUps { get; init; }

    public Signature GetFunctionSignature(int functionIndex) => Signatures[Definition.GetFunctionTypeIndex(functionIndex)];

    public MethodInfo? GetEntryMethod(int functionIndex) =>
        (uint)functionIndex < (uint)Entries.Length ? Entries[functionIndex] : null;
}
