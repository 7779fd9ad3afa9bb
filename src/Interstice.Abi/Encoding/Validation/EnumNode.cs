namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// An enum: one nesting level, a variant index below the variant count, then that variant's
/// fields (steps as in a <see cref="SequenceNode"/>). Created before its variants are compiled
/// (<see cref="Complete"/>) so that recursive enums refer to this same node.
/// </summary>
internal sealed class EnumNode : ValidationNode
{
    private ValidationNode[][] _variants = [];

    /// <summary>Sets the steps of each variant, in declaration order.</summary>
    public void Complete(ValidationNode[][] variants) => _variants = variants;

    public override void Skip(ref ValueReader reader, int depth)
    {
        reader.CountPart();
        depth = ValueCodec.Enter(ref reader, depth);
        int index = reader.ReadVariant(_variants.Length);
        foreach (var step in _variants[index]) step.Skip(ref reader, depth);
    }
}
