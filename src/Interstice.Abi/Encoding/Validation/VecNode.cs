namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// <c>vec&lt;T&gt;</c>: a count, then that many elements. Elements of a fixed size are checked
/// together (one bounds check and one count of parts for all, then their bool bytes), falling
/// back to one by one for the interpreter's error when that fails.
/// </summary>
internal sealed class VecNode : ValidationNode
{
    private readonly ValidationNode _element;
    private readonly FixedShape? _elementShape;

    public VecNode(ValidationNode element)
    {
        _element = element;
        _elementShape = element.Shape;
    }

    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        depth = ValueCodec.Enter(ref reader, depth);
        int count = reader.ReadCount();
        if (_elementShape is { } shape && shape.FitsAt(depth) && (long)count * shape.Size <= reader.Remaining && shape.FitsBudget(reader, count))
        {
            var start = reader;
            if (shape.BoolsAreValid(reader.ReadRaw(count * shape.Size), count))
            {
                reader.CountParts(count * shape.Parts);
                return;
            }
            reader = start;
        }
        for (int i = 0; i < count; i++) _element.Skip(ref reader, depth);
    }
}
