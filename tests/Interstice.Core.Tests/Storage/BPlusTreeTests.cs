using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

public class BPlusTreeTests
{
    private sealed class OrdinalComparer : IComparer<byte[]>
    {
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    public static TheoryData<int, int, int> Shapes => new()
    {
        // leaf capacity, branch capacity, seed
        { 4, 4, 1 },
        { 5, 4, 2 },
        { 4, 7, 3 },
        { 64, 64, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RandomOperationsMatchASortedDictionary(int leafCapacity, int branchCapacity, int seed)
    {
        var random = new Random(seed);
        var tree = new BPlusTree<int>(leafCapacity, branchCapacity);
        var reference = new SortedDictionary<byte[], int>(new OrdinalComparer());
        // A small key space forces hits, misses, re-inserts and deep merges.
        for (int step = 0; step < 30_000; step++)
        {
            var key = RandomKey(random, 600);
            int op = random.Next(10);
            if (op < 5)
            {
                bool added = tree.TryAdd(key, step);
                Assert.Equal(reference.TryAdd(key, step), added);
            }
            else if (op < 8)
            {
                bool removed = tree.Remove(key, out int value);
                Assert.Equal(reference.Remove(key, out int expected), removed);
                if (removed) Assert.Equal(expected, value);
            }
            else if (op < 9)
            {
                Assert.Equal(reference.TryGetValue(key, out int expected), tree.TryGetValue(key, out int value));
                if (reference.ContainsKey(key)) Assert.Equal(expected, value);
            }
            else
            {
                var range = RandomRange(random);
                Assert.Equal(ReferenceRange(reference, range), Collect(tree, range));
            }
            Assert.Equal(reference.Count, tree.Count);
            if (step % 997 == 0) tree.CheckInvariants();
        }
        tree.CheckInvariants();
        Assert.Equal(reference.Select(p => (Convert.ToHexString(p.Key), p.Value)), Collect(tree, KeyRange.All));
    }

    [Fact]
    public void KeysSharingTheirCachedPrefixStillOrderByTheirFullBytes()
    {
        // Nodes compare 16-byte prefixes first; these keys tie there and differ after.
        var random = new Random(9);
        var tree = new BPlusTree<int>(4, 4);
        var reference = new SortedDictionary<byte[], int>(new OrdinalComparer());
        var shared = Enumerable.Repeat((byte)7, 15).ToArray();
        for (int step = 0; step < 5000; step++)
        {
            var key = shared.Concat(RandomKey(random, 300)).ToArray();
            if (random.Next(3) == 0)
            {
                Assert.Equal(reference.Remove(key), tree.Remove(key));
            }
            else
            {
                Assert.Equal(reference.TryAdd(key, step), tree.TryAdd(key, step));
            }
        }
        tree.CheckInvariants();
        Assert.Equal(reference.Select(p => (Convert.ToHexString(p.Key), p.Value)), Collect(tree, KeyRange.All));
        foreach (var key in reference.Keys.Take(50)) Assert.True(tree.ContainsKey(key));
    }

    [Fact]
    public void GrowsAndShrinksThroughManyLevels()
    {
        var tree = new BPlusTree<int>(4, 4);
        const int n = 5000;
        var order = Enumerable.Range(0, n).OrderBy(i => (i * 7919) % n).ToArray();
        foreach (int i in order) Assert.True(tree.TryAdd(Key(i), i));
        tree.CheckInvariants();
        Assert.True(tree.Height >= 5);
        Assert.False(tree.TryAdd(Key(17), -1));
        foreach (int i in order)
        {
            Assert.True(tree.Remove(Key(i), out int value));
            Assert.Equal(i, value);
            if (i % 101 == 0) tree.CheckInvariants();
        }
        tree.CheckInvariants();
        Assert.Equal(0, tree.Count);
        Assert.Equal(1, tree.Height);
        Assert.False(tree.Seek(KeyRange.All).MoveNext());
    }

    [Fact]
    public void SequentialAppendsPackLeavesFully()
    {
        var tree = new BPlusTree<int>(8, 8);
        for (int i = 0; i < 8 * 100; i++) tree.TryAdd(Key(i), i);
        tree.CheckInvariants();
        // 800 entries in full leaves of 8 need 100 leaves: 100 -> 13+ branches -> 2 -> 1.
        Assert.Equal(4, tree.Height);
    }

    [Fact]
    public void RangesHonourEachKindOfBound()
    {
        var tree = new BPlusTree<int>();
        for (int i = 0; i < 100; i += 2) tree.TryAdd(Key(i), i);
        int[] Values(KeyRange range) => Collect(tree, range).Select(p => p.Value).ToArray();
        var k10 = Key(10);
        var k11 = Key(11);
        var k20 = Key(20);
        Assert.Equal([10, 12, 14, 16, 18, 20], Values(new KeyRange(KeyBound.Inclusive(k10), KeyBound.Inclusive(k20))));
        Assert.Equal([12, 14, 16, 18], Values(new KeyRange(KeyBound.Exclusive(k10), KeyBound.Exclusive(k20))));
        Assert.Equal([12, 14, 16, 18, 20], Values(new KeyRange(KeyBound.Inclusive(k11), KeyBound.Inclusive(k20))));
        Assert.Equal([12, 14, 16, 18, 20], Values(new KeyRange(KeyBound.Exclusive(k11), KeyBound.Inclusive(k20))));
        Assert.Equal([0, 2, 4, 6, 8], Values(new KeyRange(KeyBound.Unbounded, KeyBound.Exclusive(k10))));
        Assert.Equal(44, Values(new KeyRange(KeyBound.Exclusive(k10), KeyBound.Unbounded)).Length);
        Assert.Empty(Values(new KeyRange(KeyBound.Inclusive(k20), KeyBound.Inclusive(k10))));
        Assert.Empty(Values(new KeyRange(KeyBound.Exclusive(k10), KeyBound.Exclusive(k11))));
        Assert.Equal([10], Values(KeyRange.Exactly(k10)));
    }

    [Fact]
    public void FirstAtOrAfterFindsPrefixes()
    {
        var tree = new BPlusTree<int>();
        tree.TryAdd([1, 2, 3], 1);
        tree.TryAdd([1, 3], 2);
        Assert.True(tree.TryGetFirstAtOrAfter([1, 2], out var key, out int value));
        Assert.Equal([1, 2, 3], key.ToArray());
        Assert.Equal(1, value);
        Assert.True(tree.TryGetFirstAtOrAfter([1, 2, 4], out key, out _));
        Assert.Equal([1, 3], key.ToArray());
        Assert.False(tree.TryGetFirstAtOrAfter([2], out _, out _));
    }

    [Fact]
    public void ClearEmptiesAndTheTreeStaysUsable()
    {
        var tree = new BPlusTree<int>(4, 4);
        for (int i = 0; i < 100; i++) tree.TryAdd(Key(i), i);
        tree.Clear();
        Assert.Equal(0, tree.Count);
        Assert.False(tree.ContainsKey(Key(5)));
        tree.TryAdd(Key(5), 5);
        tree.CheckInvariants();
        Assert.Equal([5], Collect(tree, KeyRange.All).Select(p => p.Value));
    }

    private static byte[] Key(int i)
    {
        var key = new byte[4];
        KeyEncoding.WriteI32(key, i);
        return key;
    }

    /// <summary>Variable-length keys, many sharing prefixes, drawn from a bounded space.</summary>
    private static byte[] RandomKey(Random random, int space)
    {
        int n = random.Next(space);
        int length = n % 4;
        var key = new byte[length + 1];
        key[0] = (byte)(n / 4 % 3);
        for (int i = 1; i <= length; i++) key[i] = (byte)((n >> i) & 3);
        return key;
    }

    private static KeyRange RandomRange(Random random)
    {
        KeyBound Bound()
        {
            int kind = random.Next(3);
            var key = RandomKey(random, 600);
            return kind == 0 ? KeyBound.Unbounded : kind == 1 ? KeyBound.Inclusive(key) : KeyBound.Exclusive(key);
        }
        return new KeyRange(Bound(), Bound());
    }

    private static List<(string Key, int Value)> ReferenceRange(SortedDictionary<byte[], int> reference, KeyRange range)
    {
        var result = new List<(string, int)>();
        foreach (var pair in reference)
        {
            if (range.Contains(pair.Key)) result.Add((Convert.ToHexString(pair.Key), pair.Value));
        }
        return result;
    }

    /// <summary>The entries in <paramref name="range"/>, keys in hex (the tree hands out spans over its nodes).</summary>
    private static List<(string Key, int Value)> Collect(BPlusTree<int> tree, KeyRange range)
    {
        var result = new List<(string, int)>();
        var cursor = tree.Seek(range);
        while (cursor.MoveNext()) result.Add((Convert.ToHexString(cursor.Key), cursor.Value));
        return result;
    }
}
