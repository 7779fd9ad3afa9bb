namespace Interstice.Core.Storage;

/// <summary>
/// B-tree indexes, committed and in transaction overlays, are keyed by the index key followed
/// by the row's primary key. Encoded keys are prefix-free, so such a composite starts with
/// key k exactly when its index key is k, the composites of one key are ordered by primary key,
/// and ranges over index keys become ranges over composites (<see cref="ToCompositeRange"/>).
/// </summary>
internal static class CompositeKeys
{
    /// <summary>
    /// The smallest byte string greater than every string that starts with
    /// <paramref name="prefix"/>, or null when there is none (the prefix is all 0xFF).
    /// </summary>
    public static byte[]? PrefixSuccessor(ReadOnlySpan<byte> prefix)
    {
        int last = prefix.Length - 1;
        while (last >= 0 && prefix[last] == 0xFF) last--;
        if (last < 0) return null;
        var successor = prefix[..(last + 1)].ToArray();
        successor[last]++;
        return successor;
    }

    /// <summary>The composites whose index key is <paramref name="key"/>.</summary>
    public static KeyRange WithKey(byte[] key)
    {
        var successor = PrefixSuccessor(key);
        return new KeyRange(KeyBound.Inclusive(key), successor == null ? KeyBound.Unbounded : KeyBound.Exclusive(successor));
    }

    /// <summary>The composites whose index key is in <paramref name="range"/>.</summary>
    public static KeyRange ToCompositeRange(in KeyRange range)
    {
        var lower = range.Lower;
        if (lower.Kind == BoundKind.Exclusive)
        {
            // Above every composite of the bound key.
            var successor = PrefixSuccessor(lower.Key.Span);
            if (successor == null) return new KeyRange(KeyBound.Inclusive(lower.Key), KeyBound.Exclusive(lower.Key));
            lower = KeyBound.Inclusive(successor);
        }
        var upper = range.Upper;
        if (upper.Kind == BoundKind.Inclusive)
        {
            var successor = PrefixSuccessor(upper.Key.Span);
            upper = successor == null ? KeyBound.Unbounded : KeyBound.Exclusive(successor);
        }
        // An exclusive upper key k already stops before every composite of k (they sort after k).
        return new KeyRange(lower, upper);
    }
}
