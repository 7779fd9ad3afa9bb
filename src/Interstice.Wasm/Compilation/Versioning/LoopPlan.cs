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

/// <summary>
/// A local the loop body changes only by adding to it amounts that do not change during the loop
/// (constants and locals the loop never writes): each such increment runs at most once per
/// iteration, so over one iteration the local moves by at most the sum of the positive
/// increments upwards and the sum of the negative ones downwards.
/// </summary>
internal sealed class InductionVariable
{
    public required int Local { get; init; }

    /// <summary>The increments, as forms over loop-invariant locals (values read as signed).</summary>
    public required List<LinearForm> Increments { get; init; }

    /// <summary>Whether every increment is a constant (so the guard's slopes are constants).</summary>
    public bool HasConstantIncrements => Increments.TrueForAll(i => i.IsConstant);

    /// <summary>The sum of the positive constant increments (when <see cref="HasConstantIncrements"/>).</summary>
    public long ConstantRise => SumOfConstants(positive: true);

    /// <summary>The sum of the negative constant increments (when <see cref="HasConstantIncrements"/>).</summary>
    public long ConstantFall => SumOfConstants(positive: false);

    private long SumOfConstants(bool positive)
    {
        long sum = 0;
        foreach (var increment in Increments)
            if (positive ? increment.Constant > 0 : increment.Constant < 0) sum += increment.Constant;
        return sum;
    }
}
