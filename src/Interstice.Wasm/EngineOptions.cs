namespace Interstice.Wasm;

/// <summary>Options of an <see cref="Engine"/>, fixed for every module it compiles (they change the generated code).</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Compile fuel metering in: every instruction costs one unit of fuel, charged per
    /// straight-line run and checked at function entry and on each branch back to a loop header;
    /// running out traps with
    /// <see cref="TrapKind.OutOfFuel"/>. Deterministic: the same calls use the same fuel on every
    /// machine. An instance's fuel is set by <see cref="InstanceOptions.Fuel"/> and
    /// <see cref="Instance.Fuel"/>.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Replace every NaN produced by float arithmetic with the canonical NaN, so that floating
    /// point results are bit-for-bit the same on every machine.
    /// </summary>
    public bool CanonicalizeNaNs { get; init; }

    /// <summary>Limits used by <see cref="Linker.Instantiate"/> when no <see cref="InstanceOptions"/> are given.</summary>
    public InstanceOptions DefaultInstanceOptions { get; init; } = new();
}
