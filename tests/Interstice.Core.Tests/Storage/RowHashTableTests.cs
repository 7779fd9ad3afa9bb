using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

public class RowHashTableTests
{
    private sealed class Item(byte[] key, int value)
    {
        public byte[] Key { get; } = key;
        public int Value { get; } = value;
    }

    /// <summary>Matches items by their key; with <c>hashBits</c> &gt; 0 the hash keeps only that many bits, so probe runs get long and wrap around.</summary>
    private readonly struct ItemKeys(int hashBits) : IKeyMatcher<Item>
    {
        public int Hash(ReadOnlySpan<byte> key)
        {
            int hash = KeyComparer.Hash(key);
            // Degenerate hashes cluster at the top of the table, where runs wrap to the start.
            return hashBits == 0 ? hash : -1 - (hash & ((1 << hashBits) - 1));
        }

        public bool HasKey(Item item, ReadOnlySpan<byte> key) => item.Key.AsSpan().SequenceEqual(key);

        public void WriteKey(Item item, ref KeyWriter key) => key.WriteEncoded(item.Key);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0, 5, 2)]
    [InlineData(0, 50_000, 3)]
    [InlineData(3, 500, 4)]
    [InlineData(1, 300, 5)]
    public void FillingAtOnceFindsEveryValueAndLaterChangesWork(int hashBits, int count, int seed)
    {
        var random = new Random(seed);
        var items = Enumerable.Range(0, count).Select(i => new Item(BitConverter.GetBytes(i * 7 + 1), i)).ToArray();
        var table = new RowHashTable<Item, ItemKeys>(new ItemKeys(hashBits));
        var hashes = items.Select(item => table.HashOf(item.Key)).ToArray();
        Assert.Equal(-1, table.Fill(items, hashes, count));
        table.CheckInvariants(item => item.Key);
        Assert.Equal(count, table.Count);
        foreach (var item in items) Assert.Same(item, table.Find(item.Key));
        Assert.Null(table.Find(BitConverter.GetBytes(-5)));

        var present = new HashSet<int>(Enumerable.Range(0, count));
        for (int step = 0; step < Math.Min(count, 2_000); step++)
        {
            int i = random.Next(count);
            if (present.Remove(i)) Assert.True(table.Remove(items[i].Key));
            else Assert.True(table.TryAdd(items[i].Key, items[i]) && present.Add(i));
        }
        table.CheckInvariants(item => item.Key);
        foreach (var item in items) Assert.Equal(present.Contains(item.Value) ? item : null, table.Find(item.Key));
        if (present.Count > 0) Assert.Throws<InvalidOperationException>(() => table.Fill(items, hashes, count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void FillingAtOnceFindsTheFirstValueWhoseKeyAnEarlierOneHas(int hashBits)
    {
        var items = Enumerable.Range(0, 2_000).Select(i => new Item(BitConverter.GetBytes(i), i)).ToArray();
        // Values 1500 and 700 repeat earlier keys (of 10 and 3): 700 is the first to conflict.
        items[1500] = new Item(items[10].Key, 1500);
        items[700] = new Item(items[3].Key, 700);
        var table = new RowHashTable<Item, ItemKeys>(new ItemKeys(hashBits));
        var hashes = items.Select(item => table.HashOf(item.Key)).ToArray();
        Assert.Equal(700, table.Fill(items, hashes, items.Length));
        Assert.Same(items[3], table.Find(items[3].Key));
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.True(table.TryAdd(items[0].Key, items[0]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(3, 3)]
    [InlineData(1, 4)]
    public void RandomOperationsMatchADictionary(int hashBits, int seed)
    {
        var random = new Random(seed);
        var table = new RowHashTable<Item, ItemKeys>(new ItemKeys(hashBits));
        var reference = new Dictionary<string, Item>();
        // Phases that grow to a few hundred keys, then shrink, so runs form and break up again.
        for (int step = 0; step < 20_000; step++)
        {
            int keySpace = step % 8000 < 5000 ? 700 : 100;
            var key = RandomKey(random, keySpace);
            string name = Convert.ToHexString(key);
            int op = random.Next(10);
            if (op < 4)
            {
                var item = new Item(key, step);
                bool added = table.TryAdd(key, item);
                Assert.Equal(reference.TryAdd(name, item), added);
            }
            else if (op < 7)
            {
                Assert.Equal(reference.Remove(name), table.Remove(key));
            }
            else if (op < 8)
            {
                // Replace through the reference a lookup hands out.
                ref var slot = ref table.GetValueRefOrNullRef(key);
                Assert.Equal(reference.ContainsKey(name), !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot));
                if (reference.ContainsKey(name)) slot = reference[name] = new Item(key, -step);
            }
            else if (op < 9)
            {
                ref var slot = ref table.GetValueRefOrAddDefault(key, out bool exists);
                Assert.Equal(reference.ContainsKey(name), exists);
                if (!exists) slot = reference[name] = new Item(key, step);
                Assert.Same(reference[name], slot);
            }
            else
            {
                Assert.Same(reference.GetValueOrDefault(name), table.Find(key));
            }
            Assert.Equal(reference.Count, table.Count);
            if (step % 499 == 0) table.CheckInvariants(item => item.Key);
        }
        table.CheckInvariants(item => item.Key);
        foreach (var (_, item) in reference) Assert.Same(item, table.Find(item.Key));
    }

    [Fact]
    public void GrowsAtThreeQuartersAndFindsEveryKeyAfterwards()
    {
        var table = new RowHashTable<Item, ItemKeys>(default);
        var items = Enumerable.Range(0, 100_000).Select(i => new Item(BitConverter.GetBytes(i * 7919), i)).ToArray();
        foreach (var item in items)
        {
            Assert.True(table.TryAdd(item.Key, item));
            Assert.True(table.Count <= table.Capacity * 3 / 4 + 1, $"{table.Count} values in {table.Capacity} entries");
        }
        Assert.Equal(262_144, table.Capacity);
        table.CheckInvariants(item => item.Key);
        foreach (var item in items) Assert.Same(item, table.Find(item.Key));
        Assert.Null(table.Find(BitConverter.GetBytes(-1)));
        Assert.False(table.TryAdd(items[5].Key, new Item(items[5].Key, 0)));
        foreach (var item in items) Assert.True(table.Remove(item.Key));
        Assert.Equal(0, table.Count);
        Assert.Null(table.Find(items[0].Key));
    }

    [Fact]
    public void RemovedValuePositionsAreReusedSoChurnDoesNotGrowTheTable()
    {
        var table = new RowHashTable<Item, ItemKeys>(default);
        for (int i = 0; i < 1000; i++) Assert.True(table.TryAdd(BitConverter.GetBytes(i), new Item(BitConverter.GetBytes(i), i)));
        long bytes = 0;
        // Replace every key many times over: each insert takes the position the last removal
        // freed. After the first round (which allocates the free list) nothing grows.
        for (int round = 1; round <= 20; round++)
        {
            if (round == 2) bytes = table.MemoryBytes;
            for (int i = 0; i < 1000; i++)
            {
                var key = BitConverter.GetBytes(i + 1000 * (round - 1));
                var next = BitConverter.GetBytes(i + 1000 * round);
                Assert.True(table.Remove(key));
                Assert.True(table.TryAdd(next, new Item(next, i)));
            }
        }
        Assert.Equal(bytes, table.MemoryBytes);
        table.CheckInvariants(item => item.Key);
        Assert.Equal(1000, table.Count);
        Assert.Equal(999, table.Find(BitConverter.GetBytes(999 + 20_000))!.Value);
        Assert.Null(table.Find(BitConverter.GetBytes(999)));
    }

    [Fact]
    public void EmptyAndLongKeysAreKeysLikeAnyOther()
    {
        var table = new RowHashTable<Item, ItemKeys>(default);
        byte[] empty = [];
        byte[] longKey = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        Assert.True(table.TryAdd(empty, new Item(empty, 1)));
        Assert.True(table.TryAdd(longKey, new Item(longKey, 2)));
        Assert.Equal(1, table.Find([])!.Value);
        Assert.Equal(2, table.Find(longKey.ToArray())!.Value);
        Assert.Null(table.Find(longKey.AsSpan(0, 4999)));
    }

    /// <summary>
    /// The sort behind <see cref="RowHashTable{TValue, TKeys}.Fill"/>: stable by home entry for
    /// masks of one to all 31 bits, across the 11-bit passes (a mask of 2^22 and more once sent
    /// the loop on with wrapped shift counts, sorting by the positions' bits). Half the items
    /// repeat an earlier hash, and positions fall as items go on, so a pass by anything but the
    /// home, or an unstable one, shows.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData((1 << 11) - 1)]
    [InlineData((1 << 12) - 1)]
    [InlineData((1 << 21) - 1)]
    [InlineData((1 << 22) - 1)]
    [InlineData((1 << 23) - 1)]
    [InlineData((1 << 24) - 1)]
    [InlineData((1 << 30) - 1)]
    [InlineData(int.MaxValue)]
    public void Sorting_by_home_is_stable_and_by_the_home_alone(int mask)
    {
        var random = new Random(mask);
        const int Count = 5000;
        var items = new ulong[Count];
        for (int i = 0; i < Count; i++)
        {
            ulong hash = i > 0 && random.Next(2) == 0 ? items[random.Next(i)] >> 32 : (uint)random.Next() | ((uint)random.Next(2) << 31);
            items[i] = (hash << 32) | (uint)((Count - 1 - i) * 4099);
        }
        var expected = items.OrderBy(item => (int)(item >> 32) & mask).ToArray();
        RowHashTable<Item, ItemKeys>.SortByHome(items, mask);
        Assert.Equal(expected, items);
    }

    private static byte[] RandomKey(Random random, int space)
    {
        int value = random.Next(space);
        // Lengths 0 to 3: keys that are prefixes of others must still be told apart.
        return BitConverter.GetBytes(value)[..(value % 4)].Concat(new[] { (byte)(value >> 2) }).ToArray();
    }
}
