namespace Interstice.Wasm.Structure;

/// <summary>The immediate of a load or store (spec 5.4.6): alignment exponent and constant offset.</summary>
/// <param name="AlignExponent">The alignment hint as a power of two (0 = byte aligned).</param>
/// <param name="Offset">The offset added to the dynamic address.</param>
internal readonly record struct MemoryArgument(uint AlignExponent, uint Offset);
