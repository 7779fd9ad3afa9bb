using Interstice.Wasm.Runtime;

namespace Interstice.Wasm;

/// <summary>
/// An instance of a module: its memories, tables, globals and functions, reached through its
/// exports. Not thread-safe: call into an instance from one thread at a time (any thread may
/// <see cref="Interrupt"/> it). Dispose it to release its memory promptly.
/// </summary>
public sealed class Instance : IDisposable
{
    private readonly Memory[] _memories;
    private Dictionary<string, object> _exports = new(StringComparer.Ordinal);
    private int _released;

    internal Instance(Module module, InstanceContext context, Memory[] memories)
    {
        Module = module;
        Context = context;
        _memories = memories;
        context.Instance = this;
    }

    internal InstanceContext Context { get; }

    public Module Module { get; }

    /// <summary>The exports by name: <see cref="Function"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/> objects.</summary>
    public IReadOnlyDictionary<string, object> Exports => _exports;

    /// <summary>The exported function <paramref name="name"/>, or null when there is no such function export.</summary>
    public Function? GetFunction(string name) => _exports.GetValueOrDefault(name) as Function;

    /// <summary>
    /// The exported function <paramref name="name"/> as a typed delegate (see
    /// <see cref="Function.AsDelegate{TDelegate}"/>). Throws <see cref="ArgumentException"/> when
    /// there is no such function or the delegate type does not match its type.
    /// </summary>
    public TDelegate GetFunction<TDelegate>(string name) where TDelegate : Delegate =>
        (GetFunction(name) ?? throw new ArgumentException($"{Module} exports no function named \"{name}\"", nameof(name))).AsDelegate<TDelegate>();

    /// <summary>The exported memory <paramref name="name"/>, or null.</summary>
    public Memory? GetMemory(string name) => _exports.GetValueOrDefault(name) as Memory;

    /// <summary>The exported table <paramref name="name"/>, or null.</summary>
    public Table? GetTable(string name) => _exports.GetValueOrDefault(name) as Table;

    /// <summary>The exported global <paramref name="name"/>, or null.</summary>
    public Global? GetGlobal(string name) => _exports.GetValueOrDefault(name) as Global;

    /// <summary>
    /// The fuel left (never negative), when the engine consumes fuel. Setting it gives the
    /// instance exactly that much; it may be read and set from host functions during a call.
    /// </summary>
    public long Fuel
    {
        get
        {
            RequireFuel();
            return Math.Max(0, Context.Fuel);
        }
        set
        {
            RequireFuel();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Context.Fuel = value;
        }
    }

    /// <summary>Adds fuel (after forgetting any overdraft), e.g. to top up an instance that ran out.</summary>
    public void AddFuel(long fuel)
    {
        RequireFuel();
        ArgumentOutOfRangeException.ThrowIfNegative(fuel);
        long current = Math.Max(0, Context.Fuel);
        Context.Fuel = fuel > long.MaxValue - current ? long.MaxValue : current + fuel;
    }

    /// <summary>
    /// Asks the running call (or, if none runs, the next one) to stop: it traps with
    /// <see cref="TrapKind.Interrupted"/> at the next function entry or loop iteration, within
    /// microseconds even in a loop without calls. Safe from any thread. Code of another instance
    /// that this one called through an import stops only when it returns here.
    /// </summary>
    public void Interrupt()
    {
        Context.InterruptRequested = 1;
        Volatile.Write(ref Context.StackLimit, nuint.MaxValue);
    }

    /// <summary>
    /// Interrupts (see <see cref="Interrupt"/>) any call into this instance still running when
    /// <paramref name="timeout"/> has elapsed. Dispose the result when the guarded calls are done:
    /// that cancels the deadline and forgets an interrupt it requested that no call consumed.
    /// One shared timer serves every deadline; no thread is created per call.
    /// </summary>
    public IDisposable SetTimeout(TimeSpan timeout) => Deadlines.Schedule(this, timeout);

    /// <summary>
    /// Releases the instance's memory (once no other instance that imported it needs it) and makes
    /// further calls throw <see cref="ObjectDisposedException"/>. When called during a call into
    /// the instance (from a host function), the release waits until that call returns.
    /// </summary>
    public void Dispose()
    {
        if (Context.Disposed) return;
        Context.Disposed = true;
        if (Context.ActiveCalls == 0) ReleaseResources();
    }

    /// <summary>Releases the memories once. Not inlined: it is cold, and it reaches native calls that would cost every entry stub a P/Invoke frame.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal void ReleaseResources()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        foreach (var memory in _memories) memory?.Release();
    }

    /// <summary>Called once the module's items exist: maps export names to them.</summary>
    internal void BuildExports(Table[] tables, Memory[] memories)
    {
        var exports = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var export in Module.Compiled.Definition.Exports)
        {
            exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => Context.Functions[export.Index]!,
                ExternalKind.Table => tables[export.Index],
                ExternalKind.Memory => memories[export.Index],
                _ => Context.Globals[export.Index]!,
            };
        }
        _exports = exports;
    }

    private void RequireFuel()
    {
        if (!Module.Compiled.Options.ConsumeFuel)
            throw new InvalidOperationException("fuel is not consumed: create the engine with EngineOptions.ConsumeFuel");
    }

    public override string ToString() => $"instance of {Module}";
}
