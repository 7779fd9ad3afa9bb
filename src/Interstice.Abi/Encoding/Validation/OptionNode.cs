namespace Interstice.Abi.Encoding.Validation;

/// <summary><c>option&lt;T&gt;</c>: a tag 0 or 1, then a <c>T</c> when it is 1.</summary>
internal sealed class OptionNode(ValidationNode element) : ValidationNode
{
    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        depth = ValueCodec.Enter(ref reader, depth);
        if (reader.ReadOptionTag()) element.Skip(ref reader, depth);
    }
}
