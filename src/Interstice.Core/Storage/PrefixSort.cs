namespace Interstice.Core.Storage;

/// <summary>
/// Sorts keys by their 16-byte prefixes (<see cref="BPlusTree{TValue}.KeyPrefix"/>) with a
/// stable least-significant-byte radix sort: one pass to count every byte position, then one
/// scatter pass per byte position whose values differ. Keys of an integer index followed by a
/// primary key differ in a few bytes only, so a million of them sort in a handful of linear
/// passes where a comparison sort takes twenty.
/// </summary>
internal static class PrefixSort
{
    private const int Bytes = 16;

    /// <summary>The positions of <paramref name="prefixes"/> in increasing order, equal prefixes in position order.</summary>
    public static int[] Order(UInt128[] prefixes)
    {
        int count = prefixes.Length;
        var counts = new int[Bytes * 256];
        foreach (var prefix in prefixes)
        {
            for (int b = 0; b < Bytes; b++) counts[b * 256 + (int)(byte)(prefix >> (8 * b))]++;
        }

        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var keys = (UInt128[])prefixes.Clone();
        var nextOrder = new int[count];
        var nextKeys = new UInt128[count];
        Span<int> starts = stackalloc int[256];
        // Byte b counts from the least significant end: the last byte of the key first.
        for (int b = 0; b < Bytes; b++)
        {
            var histogram = counts.AsSpan(b * 256, 256);
            if (histogram.Contains(count)) continue;
            int sum = 0;
            for (int v = 0; v < 256; v++)
            {
                starts[v] = sum;
                sum += histogram[v];
            }
            int shift = 8 * b;
            for (int i = 0; i < count; i++)
            {
                int at = starts[(int)(byte)(keys[i] >> shift)]++;
                nextKeys[at] = keys[i];
                nextOrder[at] = order[i];
            }
            (keys, nextKeys) = (nextKeys, keys);
            (order, nextOrder) = (nextOrder, order);
        }
        return order;
    }
}
