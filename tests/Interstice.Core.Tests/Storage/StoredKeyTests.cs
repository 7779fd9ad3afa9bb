using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

public class StoredKeyTests
{
    private sealed class OrdinalComparer : IComparer<byte[]>
    {
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    [Fact]
    public void The_comparer_tells_stored_keys_apart_by_their_bytes_alone()
    {
        // Keys a zero-padded head would confuse (a prefix, a trailing zero), and long keys in arrays of their own.
        byte[][] keys = [[], [0], [1], [1, 0], [.. new byte[16]], [.. new byte[17]], [.. Enumerable.Range(0, 20).Select(i => (byte)i)], [.. Enumerable.Range(0, 21).Select(i => (byte)i)]];
        var comparer = StoredKeyComparer.Instance;
        foreach (var a in keys)
        {
            foreach (var b in keys)
            {
                bool equal = a.AsSpan().SequenceEqual(b);
                // From copies a long key: equality must not hang on the arrays being one.
                Assert.Equal(equal, comparer.Equals(StoredKey.From(a), StoredKey.From(b)));
                if (equal) Assert.Equal(comparer.GetHashCode(StoredKey.From(a)), comparer.GetHashCode(StoredKey.Adopt(b.ToArray())));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Heads_and_ties_order_keys_like_their_bytes(int seed)
    {
        var random = new Random(seed);
        var keys = new List<byte[]>();
        for (int i = 0; i < 400; i++) keys.Add(RandomKey(random));
        foreach (var a in keys)
        {
            var stored = StoredKey.From(a);
            Assert.Equal(a, StoredKey.Bytes(in stored).ToArray());
            foreach (var b in keys)
            {
                UInt128 left = StoredKey.Order(stored.Head), right = StoredKey.OrderOf(b);
                int viaHeads = left < right ? -1 : left > right ? 1 : StoredKey.CompareTied(stored.Array, b);
                Assert.Equal(Math.Sign(a.AsSpan().SequenceCompareTo(b)), Math.Sign(viaHeads));
            }
        }
    }

    [Fact]
    public void Only_keys_longer_than_the_head_keep_an_array_of_their_own()
    {
        for (int length = 0; length <= 24; length++)
        {
            var key = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();
            var copied = StoredKey.From(key);
            var adopted = StoredKey.Adopt(key);
            if (length <= StoredKey.HeadLength)
            {
                Assert.True(StoredKey.IsLengthTag(copied.Array));
                Assert.Same(copied.Array, adopted.Array);
            }
            else
            {
                Assert.False(StoredKey.IsLengthTag(copied.Array));
                Assert.NotSame(key, copied.Array);
                Assert.Same(key, adopted.Array);
            }
            Assert.Equal(key, StoredKey.Bytes(in adopted).ToArray());
        }
    }

    [Theory]
    [InlineData(4, 4, 1)]
    [InlineData(64, 64, 2)]
    public void A_tree_of_short_and_long_keys_matches_a_sorted_dictionary(int leafCapacity, int branchCapacity, int seed)
    {
        // Keys around the head's 16 bytes, of zeros and ones mostly: heads tie often, and a short
        // key is often a long one's prefix padded with the zeros that follow it.
        var random = new Random(seed);
        var tree = new BPlusTree<int>(leafCapacity, branchCapacity);
        var reference = new SortedDictionary<byte[], int>(new OrdinalComparer());
        for (int step = 0; step < 20_000; step++)
        {
            var key = RandomKey(random);
            switch (random.Next(4))
            {
                case 0:
                    Assert.Equal(reference.TryAdd(key, step), tree.TryAdd(key, step));
                    break;
                case 1:
                    // Added from a span: the tree copies it, so the caller may reuse its buffer.
                    var buffer = key.ToArray();
                    Assert.Equal(reference.TryAdd(key, step), tree.TryAdd(StoredKey.From(buffer), step));
                    buffer.AsSpan().Fill(0xEE);
                    break;
                case 2:
                    Assert.Equal(reference.Remove(key), tree.Remove(key));
                    break;
                default:
                    Assert.Equal(reference.TryGetValue(key, out int expected), tree.TryGetValue(key, out int found));
                    Assert.Equal(expected, found);
                    break;
            }
            if (step % 1999 == 0) tree.CheckInvariants();
        }
        tree.CheckInvariants();
        var cursor = tree.Seek(KeyRange.All);
        foreach (var pair in reference)
        {
            Assert.True(cursor.MoveNext());
            Assert.Equal(pair.Key, cursor.Key.ToArray());
            var stored = cursor.StoredKey;
            Assert.Equal(pair.Key, StoredKey.Bytes(in stored).ToArray());
            Assert.Equal(pair.Value, cursor.Value);
        }
        Assert.False(cursor.MoveNext());
    }

    /// <summary>13 to 19 bytes, each 0, 1 or (rarely) 255.</summary>
    private static byte[] RandomKey(Random random)
    {
        var key = new byte[random.Next(13, 20)];
        for (int i = 0; i < key.Length; i++)
        {
            int r = random.Next(9);
            key[i] = r == 0 ? (byte)255 : (byte)(r & 1);
        }
        return key;
    }
}
