namespace Interstice.Abi.Encoding.Validation;

/// <summary>
/// What is left to check of a value whose encoding has a fixed size (fixed-width primitives and
/// tuples or structs of them): that its bytes are there, that its bool bytes are 0 or 1, that
/// its nesting fits under <see cref="ValueCodec.MaxDepth"/>, and that its parts fit in what is
/// left of the input's parts budget (<see cref="ValueCodec.PartsBudget"/>).
/// </summary>
/// <param name="Size">The encoding's size in bytes.</param>
/// <param name="Height">The tuple and struct levels it nests (0 for a primitive); entered at depth d, it needs d + Height &lt;= MaxDepth.</param>
/// <param name="BoolOffsets">The offsets of its bool bytes, ascending.</param>
/// <param name="Parts">The parts a value holds (itself, its fields and theirs), at most <see cref="MaxParts"/>.</param>
internal sealed record FixedShape(int Size, int Height, int[] BoolOffsets, long Parts)
{
    /// <summary>
    /// Where part counts stop growing: more than any input's budget (a 2 GB input's is below
    /// 2^35), so a capped count still never fits. Zero-byte structs can multiply parts without
    /// adding bytes (a chain of empty structs each holding the next twice), which a schema
    /// refuses but a <see cref="Types.TypeTable"/> built by hand may hold.
    /// </summary>
    public const long MaxParts = 1L << 40;

    /// <summary>
    /// The largest shape merged. Named types can multiply sizes (a struct of 1,000 fields of a
    /// struct of 1,000 fields...); past this, parts are checked one by one, each merged in itself.
    /// </summary>
    public const int MaxSize = 4096;

    /// <summary>The shape of a fixed-width primitive.</summary>
    public static FixedShape Primitive(int size, bool isBool) => new(size, 0, isBool ? [0] : [], 1);

    /// <summary>
    /// The shape of <paramref name="parts"/> one after the other, nested <paramref name="levels"/>
    /// levels deeper (1 for a tuple or struct, which is one part more; 0 for a run). Their sizes
    /// add up to at most <see cref="MaxSize"/>.
    /// </summary>
    public static FixedShape Concatenate(ReadOnlySpan<FixedShape> parts, int levels)
    {
        int size = 0, height = 0, bools = 0;
        long partCount = levels;
        foreach (var part in parts)
        {
            size += part.Size;
            height = Math.Max(height, part.Height);
            bools += part.BoolOffsets.Length;
            partCount = Math.Min(partCount + part.Parts, MaxParts);
        }
        var offsets = new int[bools];
        int offset = 0, next = 0;
        foreach (var part in parts)
        {
            foreach (int b in part.BoolOffsets) offsets[next++] = offset + b;
            offset += part.Size;
        }
        return new FixedShape(size, height + levels, offsets, partCount);
    }

    /// <summary>True when <paramref name="depth"/> + <see cref="Height"/> stays within the nesting limit.</summary>
    public bool FitsAt(int depth) => depth + Height <= ValueCodec.MaxDepth;

    /// <summary>True when <paramref name="count"/> values of this shape fit in the parts <paramref name="reader"/> has left (dividing: count times a capped count could overflow).</summary>
    public bool FitsBudget(in ValueReader reader, int count) => count == 0 || Parts <= reader.PartsLeft / count;

    /// <summary>True when every bool byte of the <paramref name="count"/> values in <paramref name="bytes"/> is 0 or 1.</summary>
    public bool BoolsAreValid(ReadOnlySpan<byte> bytes, int count)
    {
        if (BoolOffsets.Length == 0) return true;
        for (int start = 0, i = 0; i < count; i++, start += Size)
        {
            foreach (int offset in BoolOffsets)
            {
                if (bytes[start + offset] > 1) return false;
            }
        }
        return true;
    }
}
