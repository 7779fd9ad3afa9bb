using Interstice.Wasm.Runtime;

namespace Interstice.Wasm;

/// <summary>
/// The instance that called a host function, given as the optional first parameter of host
/// functions (like wasmtime's <c>Caller</c>): host functions use it to reach the caller's memory
/// and exports, and its fuel.
/// </summary>
public sealed class Caller
{
    /// <summary>The caller of a host function called directly by the host, not by an instance.</summary>
    internal static readonly Caller Host = new(null);

    internal readonly InstanceContext? Context;

    internal Caller(InstanceContext? context) => Context = context;

    /// <summary>The calling instance; null when the host called the function directly.</summary>
    public Instance? Instance => Context?.Instance;

    /// <summary>The calling instance's memory (its memory 0, exported or not); null when it has none.</summary>
    public Memory? Memory => Context?.Memory;

    /// <summary>An export of the calling instance, or null.</summary>
    public Function? GetFunction(string name) => Instance?.GetFunction(name);

    /// <inheritdoc cref="GetFunction"/>
    public Memory? GetMemory(string name) => Instance?.GetMemory(name);

    /// <inheritdoc cref="GetFunction"/>
    public Table? GetTable(string name) => Instance?.GetTable(name);

    /// <inheritdoc cref="GetFunction"/>
    public Global? GetGlobal(string name) => Instance?.GetGlobal(name);
}
