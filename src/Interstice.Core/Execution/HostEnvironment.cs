using Interstice.Core.Modules;
using Interstice.Core.Scheduling;
using Interstice.Wasm;

namespace Interstice.Core.Execution;

/// <summary>What host functions reach beyond their own module: the other modules, the node's options, log and schedules.</summary>
internal sealed class HostEnvironment(ModuleRegistry modules, NodeOptions options, NodeLog log, ScheduleTable schedules)
{
    public ModuleRegistry Modules { get; } = modules;

    public NodeOptions Options { get; } = options;

    public NodeLog Log { get; } = log;

    public ScheduleTable Schedules { get; } = schedules;

    /// <summary>The limits every module instance is created with.</summary>
    public InstanceOptions InstanceOptions { get; } = new() { MaxMemoryPages = options.MaxMemoryPages, Fuel = options.FuelPerCall };
}
