using System.Runtime.CompilerServices;
namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// Consecutive fixed-size values of a tuple, struct or variant (or one such value of a composite
/// type), checked as one: one bounds check, one count of their parts, then their bool bytes. When
/// that fails (too few bytes, a bad bool, nesting past the limit, or parts past the budget) the
/// values are walked one by one from the start, which throws the interpreter's error at the
/// interpreter's offset.
/// </summary>
internal sealed class FixedRunNode : ValidationNode
{
    private readonly ValidationNode[] _parts;
    private readonly FixedShape _shape;

    public FixedRunNode(ValidationNode[] parts, FixedShape shape)
    {
        _parts = parts;
        _shape = shape;
        Shape = shape;
    }

    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Skip(ref ValueReader reader, int depth)
    {
        if (_shape.FitsAt(depth) && reader.Remaining >= _shape.Size && _shape.FitsBudget(reader, 1))
        {
            var start = reader;
            if (_shape.BoolsAreValid(reader.ReadRaw(_shape.Size), 1))
            {
                reader.CountParts(_shape.Parts);
                return;
            }
            reader = start;
        }
        foreach (var part in _parts) part.Skip(ref reader, depth);
    }
}
