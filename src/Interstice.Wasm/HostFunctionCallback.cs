namespace Interstice.Wasm;

/// <summary>
/// A host function of any signature, called with untyped values: read
/// <paramref name="arguments"/> (typed as the function type's parameters) and fill
/// <paramref name="results"/> (pre-filled with zero values of the result types; every value
/// written must keep its slot's type). Throw <see cref="TrapException"/> to trap the caller.
/// </summary>
public delegate void HostFunctionCallback(Caller caller, ReadOnlySpan<Value> arguments, Span<Value> results);
