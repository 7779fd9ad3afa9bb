namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// One step of a compiled <see cref="ValueValidator"/>: checks one value (or, for a
/// <see cref="FixedRunNode"/>, several consecutive fixed-size values) at the reader's position and
/// moves past it, throwing exactly what <see cref="ValueCodec.Skip"/> throws for the same bytes.
/// Nodes are immutable once compiled, so one validator serves every thread.
/// </summary>
internal abstract class ValidationNode
{
    /// <summary>The node's encoding when it is always the same number of bytes; null otherwise (or while a named type is being compiled).</summary>
    public FixedShape? Shape { get; protected set; }

    /// <summary>Checks one value at nesting <paramref name="depth"/> (the levels entered above it) and moves past it.</summary>
    public abstract void Skip(ref ValueReader reader, int depth);
}
