namespace Interstice.Wasm;

/// <summary>Resource limits and initial fuel of one instance.</summary>
public sealed record InstanceOptions
{
    /// <summary>The default <see cref="MaxCallDepth"/>.</summary>
    public const int DefaultMaxCallDepth = 20_000;

    /// <summary>
    /// The most pages each memory the instance creates may have. <c>memory.grow</c> beyond it
    /// returns -1; a module whose memory starts larger cannot be instantiated. Null: only the
    /// module's own maximum (and 4 GiB) applies. The address space reserved for a memory is its
    /// effective maximum, so a limit also saves address space.
    /// </summary>
    public uint? MaxMemoryPages { get; init; }

    /// <summary>The most elements each table the instance creates may have; <c>table.grow</c> beyond it returns -1.</summary>
    public uint? MaxTableElements { get; init; }

    /// <summary>
    /// The most nested calls; deeper calls trap with <see cref="TrapKind.CallStackExhausted"/>. Whatever
    /// the limit, running out of native stack traps the same way instead of crashing, but the depth
    /// limit makes the outcome the same on every thread and machine. Unwinding a trap costs time
    /// in proportion to the depth (a few microseconds per frame), which the default keeps small.
    /// </summary>
    public int MaxCallDepth { get; init; } = DefaultMaxCallDepth;

    /// <summary>The fuel the instance starts with, when the engine consumes fuel (<see cref="EngineOptions.ConsumeFuel"/>).</summary>
    public long Fuel { get; init; }
}
