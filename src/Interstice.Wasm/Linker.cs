using Interstice.Wasm.Runtime;

namespace Interstice.Wasm;

/// <summary>
/// Names things that modules can import — host functions, memories, tables, globals, other
/// instances' exports — and instantiates modules against them. Unknown imports and type
/// mismatches fail with a <see cref="LinkException"/> naming the import.
/// </summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), object> _definitions = [];

    /// <summary>When true, defining a name again replaces the earlier definition; otherwise it throws.</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>
    /// Defines a host function from a delegate; its WebAssembly type is inferred from the delegate's
    /// signature: int = i32, long = i64, float = f32, double = f64,
    /// <see cref="System.Runtime.Intrinsics.Vector128{T}"/> of bytes = v128, <see cref="Function"/> = funcref,
    /// object = externref; void or one result; further results as trailing <c>out</c> parameters.
    /// An optional first <see cref="Caller"/> parameter receives the calling instance. A delegate of
    /// the form <c>Func&lt;Caller, ...&gt;</c> / <c>Action&lt;Caller, ...&gt;</c> is called directly, any other
    /// through a generated adapter that calls its method directly.
    /// </summary>
    public Linker DefineFunction(string module, string name, Delegate function) =>
        Define(module, name, HostFunctions.FromDelegate(function));

    /// <summary>Defines a host function of any type, called with untyped values (any signature, several results included).</summary>
    public Linker DefineFunction(string module, string name, FunctionType type, HostFunctionCallback callback) =>
        Define(module, name, HostFunctions.FromCallback(type, callback));

    /// <summary>Defines a function (e.g. another instance's export) under a name.</summary>
    public Linker Define(string module, string name, Function function) => Add(module, name, function);

    /// <summary>Defines a memory under a name.</summary>
    public Linker Define(string module, string name, Memory memory) => Add(module, name, memory);

    /// <summary>Defines a table under a name.</summary>
    public Linker Define(string module, string name, Table table) => Add(module, name, table);

    /// <summary>Defines a global under a name.</summary>
    public Linker Define(string module, string name, Global global) => Add(module, name, global);

    /// <summary>Defines every export of <paramref name="instance"/> under the module name <paramref name="module"/>.</summary>
    public Linker DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var (name, item) in instance.Exports) Add(module, name, item);
        return this;
    }

    /// <summary>What is defined under a name, or null.</summary>
    public object? GetDefinition(string module, string name) => _definitions.GetValueOrDefault((module, name));

    /// <summary>
    /// Instantiates a module: resolves its imports against the definitions, creates its memories,
    /// tables and globals, applies its element and data segments, runs its start function. Throws
    /// <see cref="LinkException"/> for a missing or mismatched import, <see cref="TrapException"/>
    /// when a segment does not fit or the start function traps, <see cref="WasmResourceException"/>
    /// when a limit is exceeded.
    /// </summary>
    public Instance Instantiate(Module module, InstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Instantiation.Instantiate(module, (m, n) => _definitions.GetValueOrDefault((m, n)),
            options ?? module.Engine.Options.DefaultInstanceOptions);
    }

    private Linker Add(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        if (!AllowShadowing && _definitions.ContainsKey((module, name)))
            throw new InvalidOperationException($"{module}.{name} is already defined (set AllowShadowing to replace definitions)");
        _definitions[(module, name)] = item;
        return this;
    }
}
