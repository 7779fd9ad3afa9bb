using System.Runtime.CompilerServices;
namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// A tuple or a struct: one nesting level, then its elements or fields in order, consecutive
/// fixed-size ones merged into <see cref="FixedRunNode"/>s. A named struct's node is created
/// before its fields are compiled (<see cref="Complete"/>), so that a struct reaching itself
/// through an option, vec or enum refers to this same node.
/// </summary>
internal sealed class SequenceNode : ValidationNode
{
    private ValidationNode[] _steps = [];

    /// <summary>Sets the steps and the shape of the whole (null unless every element is fixed-size).</summary>
    public void Complete(ValidationNode[] steps, FixedShape? shape)
    {
        _steps = steps;
        Shape = shape;
    }

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        depth = ValueCodec.Enter(ref reader, depth);
        foreach (var step in _steps) step.Skip(ref reader, depth);
    }
}
