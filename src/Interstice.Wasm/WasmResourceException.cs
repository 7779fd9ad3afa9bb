namespace Interstice.Wasm;

/// <summary>
/// A resource needed to instantiate a module could not be provided: a memory or table larger
/// than the instance's limits allows, or address space that could not be reserved.
/// </summary>
public sealed class WasmResourceException : WasmException
{
    public WasmResourceException(string message) : base(message) { }
}
