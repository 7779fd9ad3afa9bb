namespace Interstice.Abi.Encoding.Validation;

/// <summary><c>bool</c>: one byte, 0 or 1.</summary>
internal sealed class BoolNode : ValidationNode
{
    public BoolNode() => Shape = FixedShape.Primitive(1, isBool: true);

    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        reader.ReadBool();
    }
}

/// <summary>A fixed-width integer or float: any bytes of its width.</summary>
internal sealed class RawNode : ValidationNode
{
    private readonly int _size;

    public RawNode(int size)
    {
        _size = size;
        Shape = FixedShape.Primitive(size, isBool: false);
    }

    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        reader.ReadRaw(_size);
    }
}

/// <summary><c>string</c>: a length and that many bytes of valid UTF-8.</summary>
internal sealed class StringNode : ValidationNode
{
    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        reader.ReadUtf8();
    }
}

/// <summary><c>bytes</c>: a length and that many bytes.</summary>
internal sealed class BytesNode : ValidationNode
{
    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        reader.ReadBytes();
    }
}

/// <summary>A named type with no definition: reaching a value of it is an error (after its nesting level is counted, as the interpreter does).</summary>
internal sealed class UndefinedTypeNode(string name) : ValidationNode
{
    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        ValueCodec.Enter(ref reader, depth);
        throw ValueCodec.Undefined(name, reader.Position);
    }
}

/// <summary>
/// A type left to the interpreter (<see cref="ValueCodec.Skip"/>): one nested past what the
/// compiler recurses into, or a definition kind it does not know.
/// </summary>
internal sealed class InterpretedNode(Types.AbiType type, Types.TypeTable types) : ValidationNode
{
    public override void Skip(ref ValueReader reader, int depth) => ValueCodec.SkipValue(ref reader, type, types, depth);
}
