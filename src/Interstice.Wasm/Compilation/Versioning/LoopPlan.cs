namespace Interstice.Wasm.Compilation.Versioning;

/// <summary>
/// How to compile one innermost loop in two versions (see <see cref="LoopAnalyzer"/>): the
/// accesses whose bounds checks the fast version leaves out, and what the guard in front of it
/// must check so that they cannot fail for as many iterations as it lets the fast version run.
/// </summary>
internal sealed class LoopPlan
{
    /// <summary>Code offsets of the loads and stores the fast version does not check.</summary>
    public required HashSet<int> UncheckedAccesses { get; init; }

    /// <summary>The unchecked accesses, grouped by the linear part of their address.</summary>
    public required AccessGroup[] Groups { get; init; }

    /// <summary>The locals the loop changes only by increments, by local index.</summary>
    public required Dictionary<int, InductionVariable> InductionVariables { get; init; }

    /// <summary>
    /// Iterations the fast version runs between two passes through the guard, which is also where
    /// it checks for interrupts: about <see cref="LoopAnalyzer.InstructionsPerGuard"/> instructions
    /// of the body, or 1 when the body holds a bulk memory or table operation (whose duration
    /// depends on its operands).
    /// </summary>
    public required int IterationsPerGuard { get; init; }

    /// <summary>
    /// When every iteration that goes back to the header runs the same instructions (the body's
    /// only branches leave the loop, but one back to the header at its top level): the fuel each
    /// such iteration charges, the instructions up to and including that branch. Null otherwise.
    /// </summary>
    public required int? IterationCharge { get; init; }

    /// <summary>Iterations the loop runs in its checked version before it first goes through the guard (0: straight to the guard).</summary>
    public required int WarmUpIterations { get; init; }

    /// <summary>The body calls functions (whose fuel use is unknown).</summary>
    public required bool HasCalls { get; init; }

    /// <summary>The size of the body in the code section, which the fast version duplicates.</summary>
    public required int BodyBytes { get; init; }
}
