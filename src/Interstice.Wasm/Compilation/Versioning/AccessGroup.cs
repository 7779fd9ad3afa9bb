namespace Interstice.Wasm.Compilation.Versioning;

/// <summary>
/// Unchecked accesses whose addresses share their linear part <c>Σ coefficient × local</c> and
/// differ by constants: for all of them, <c>address ≥ 0</c> needs <c>base + Low ≥ 0</c> and
/// <c>address + offset + width ≤ size</c> needs <c>base + High ≤ size</c>, whatever the iteration.
/// </summary>
internal sealed class AccessGroup
{
    public required (int Local, long Coefficient)[] Terms { get; init; }

    /// <summary>The smallest constant part of an address in the group.</summary>
    public required long Low { get; set; }

    /// <summary>The largest constant part of an address plus the access's offset and width.</summary>
    public required long High { get; set; }
}
