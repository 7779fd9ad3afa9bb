namespace Interstice.Core.Storage;

/// <summary>
/// Sorts keys by their 16-byte heads as integers (<see cref="StoredKey.Order(UInt128)"/>) with a
/// stable least-significant-byte radix sort: one pass to count every byte position, then one
/// scatter pass per byte position whose values differ. Keys of an integer index followed by a
/// primary key differ in a few bytes only, so a million of them sort in a handful of linear
/// passes where a comparison sort takes twenty.
/// </summary>
internal static class PrefixSort
{
    /// <summary>
    /// Sorts <paramref name="prefixes"/> in place by their first <paramref name="significantBytes"/>
    /// bytes (the most significant ones; all 16 by default) and sets <paramref name="order"/>[i]
    /// to the position the i-th sorted prefix came from (prefixes equal in those bytes in
    /// position order: the sort is stable).
    /// </summary>
    public static void Sort(Span<UInt128> prefixes, Span<int> order, int significantBytes = StoredKey.HeadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(order.Length, prefixes.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(significantBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantBytes, StoredKey.HeadLength);
        // The bytes below the significant ones are neither counted nor sorted by.
        int lowest = StoredKey.HeadLength - significantBytes;
        int count = prefixes.Length;
        // The prefix as two halves: shifts of 64-bit integers are single instructions.
        using var highs = new NativeBuffer<ulong>(count);
        using var lows = new NativeBuffer<ulong>(count);
        using var nextHighs = new NativeBuffer<ulong>(count);
        using var nextLows = new NativeBuffer<ulong>(count);
        using var nextOrders = new NativeBuffer<int>(count);
        var high = highs.Span;
        var low = lows.Span;
        var counts = new int[16 * 256];
        for (int i = 0; i < count; i++)
        {
            ulong h = (ulong)(prefixes[i] >> 64), l = (ulong)prefixes[i];
            high[i] = h;
            low[i] = l;
            for (int b = lowest; b < 8; b++) counts[b * 256 + (int)((l >> (8 * b)) & 0xFF)]++;
            for (int b = Math.Max(lowest, 8); b < 16; b++) counts[b * 256 + (int)((h >> (8 * (b - 8))) & 0xFF)]++;
        }

        for (int i = 0; i < count; i++) order[i] = i;
        var nextHigh = nextHighs.Span;
        var nextLow = nextLows.Span;
        var nextOrder = nextOrders.Span;
        var result = order;
        Span<int> starts = stackalloc int[256];
        // Byte b counts from the least significant end: the last byte of the key first.
        for (int b = lowest; b < 16; b++)
        {
            var histogram = counts.AsSpan(b * 256, 256);
            if (histogram.Contains(count)) continue;
            int sum = 0;
            for (int v = 0; v < 256; v++)
            {
                starts[v] = sum;
                sum += histogram[v];
            }
            var digits = b < 8 ? low : high;
            int shift = 8 * (b & 7);
            for (int i = 0; i < count; i++)
            {
                int at = starts[(int)((digits[i] >> shift) & 0xFF)]++;
                nextHigh[at] = high[i];
                nextLow[at] = low[i];
                nextOrder[at] = order[i];
            }
            Swap(ref high, ref nextHigh);
            Swap(ref low, ref nextLow);
            Swap(ref order, ref nextOrder);
        }
        for (int i = 0; i < count; i++) prefixes[i] = ((UInt128)high[i] << 64) | low[i];
        // After an odd number of passes the order ended in the scratch copy.
        if (order != result) order.CopyTo(result);
    }

    private static void Swap<T>(ref Span<T> a, ref Span<T> b)
    {
        var first = a;
        a = b;
        b = first;
    }
}
