using System.Reflection.Emit;

namespace Interstice.Wasm.Compilation.Versioning;

/// <summary>
/// A loop being compiled in two versions, in this order: the guard, the fast version (the body
/// without the checks of <see cref="LoopPlan.UncheckedAccesses"/>), then the checked version (the
/// body as usual). Both count iterations down to the next pass through the guard. The loop may start
/// in the checked version for a few iterations (<see cref="LoopPlan.WarmUpIterations"/>); the guard sends it to the fast version for as
/// many iterations as it can prove safe, or back to the checked version, practically for good
/// (<see cref="int.MaxValue"/> iterations), when it cannot prove even one.
/// </summary>
internal sealed class VersionedLoop
{
    public required LoopPlan Plan { get; init; }

    /// <summary>Where the body starts in the code, to read it again for the checked version.</summary>
    public required int BodyStart { get; init; }

    /// <summary>The guard: checks interrupts, computes how many iterations may run fast, branches to a version.</summary>
    public required Label Guard { get; init; }

    public required Label FastHeader { get; init; }

    public required Label CheckedHeader { get; init; }

    /// <summary>Where the fast version goes when it falls out of its end: after the checked version.</summary>
    public required Label After { get; init; }

    /// <summary>Iterations the current version may still run, this one included, before it goes (back) through the guard.</summary>
    public required LocalBuilder Countdown { get; init; }

    /// <summary>
    /// With fuel metering, when every iteration charges the same <see cref="LoopPlan.IterationCharge"/>
    /// and the body makes no calls: the fast version leaves the fuel local alone and charges by
    /// counting. The guard lets it run only as many iterations as the fuel pays for and sets this
    /// to the fuel that will be left after them, so the fuel left at the start of an iteration is
    /// <c>FuelBase + Countdown × IterationCharge</c>, worked out where it is needed: on the way out
    /// of the loop, in trap paths, and back at the guard.
    /// </summary>
    public LocalBuilder? FuelBase { get; init; }

    /// <summary>The loop checks interrupts in the callee on every iteration (see <see cref="LoopScanner.CallsEveryIteration"/>).</summary>
    public required bool CallsEveryIteration { get; init; }

    public bool InFastVersion { get; set; } = true;

    /// <summary>The fast version's end is reachable: <see cref="After"/> is used.</summary>
    public bool AfterUsed { get; set; }
}
