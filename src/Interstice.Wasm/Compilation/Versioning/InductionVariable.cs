namespace Interstice.Wasm.Compilation.Versioning;

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
