using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Storage;

/// <summary>
/// <see cref="BPlusTree{TValue}.Freeze"/>: a view keeps exactly the entries of its freeze while
/// the owner goes on inserting and removing (every split, borrow, merge and root change clones
/// what the view shares), on another thread too; once released, writes go in place again.
/// </summary>
public class BPlusTreeFrozenViewTests
{
    public static TheoryData<int, int, bool, int> Shapes => new()
    {
        // leaf capacity, branch capacity, long keys (stored as their own arrays), seed
        { 4, 4, false, 1 },
        { 5, 4, true, 2 },
        { 4, 7, false, 3 },
        { 64, 64, false, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_view_keeps_the_entries_of_its_freeze_while_the_tree_grows_shrinks_and_churns(int leafCapacity, int branchCapacity, bool longKeys, int seed)
    {
        var random = new Random(seed);
        var tree = new BPlusTree<int>(leafCapacity, branchCapacity);
        var reference = new SortedDictionary<int, int>();
        int step = 0;
        void Apply(int operations, int space, int insertPercent)
        {
            for (int i = 0; i < operations; i++, step++)
            {
                int key = random.Next(space);
                if (random.Next(100) < insertPercent) Assert.Equal(reference.TryAdd(key, step), tree.TryAdd(Key(key, longKeys), step));
                else Assert.Equal(reference.Remove(key), tree.Remove(Key(key, longKeys)));
                if (i % 211 == 0) tree.CheckInvariants();
            }
            tree.CheckInvariants();
            Assert.Equal(Expected(reference, longKeys), Live(tree));
        }

        Apply(1500, 1000, insertPercent: 70);
        int heightAtFirst = tree.Height;
        var first = tree.Freeze();
        var atFirst = Expected(reference, longKeys);

        // Grow: splits up to a taller root.
        Apply(6000, 6000, insertPercent: 90);
        Assert.True(tree.Height > heightAtFirst, $"height {tree.Height} did not grow from {heightAtFirst}");
        Assert.Equal(atFirst, Enumerate(first));

        // A second view while the first is held, then shrink to a few entries: borrows, merges, the root lowered.
        int heightAtSecond = tree.Height;
        var second = tree.Freeze();
        var atSecond = Expected(reference, longKeys);
        foreach (int key in reference.Keys.Where((_, i) => i % 50 != 0).ToList())
        {
            Assert.True(tree.Remove(Key(key, longKeys)));
            reference.Remove(key);
        }
        tree.CheckInvariants();
        Assert.True(tree.Height < heightAtSecond, $"height {tree.Height} did not shrink from {heightAtSecond}");
        Assert.Equal(Expected(reference, longKeys), Live(tree));
        Assert.Equal(atFirst, Enumerate(first));
        Assert.Equal(atSecond, Enumerate(second));

        // The first released: the second still holds while the tree churns.
        first.Release();
        Apply(8000, 3000, insertPercent: 55);
        Assert.Equal(atSecond, Enumerate(second));
        Assert.Equal(atSecond.Count, second.Count);

        // Everything cleared, then refilled.
        var third = tree.Freeze();
        var atThird = Expected(reference, longKeys);
        tree.Clear();
        reference.Clear();
        tree.CheckInvariants();
        Apply(500, 800, insertPercent: 80);
        Assert.Equal(atSecond, Enumerate(second));
        Assert.Equal(atThird, Enumerate(third));
        second.Release();
        third.Release();
        Apply(3000, 3000, insertPercent: 50);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_view_keeps_the_values_of_its_freeze_while_the_owner_replaces_and_removes_them(int leafCapacity, int branchCapacity, bool longKeys, int seed)
    {
        var random = new Random(seed);
        var tree = new BPlusTree<int>(leafCapacity, branchCapacity);
        var reference = new SortedDictionary<int, int>();
        for (int key = 0; key < 2000; key++)
        {
            tree.TryAdd(Key(key, longKeys), key);
            reference.Add(key, key);
        }
        var view = tree.Freeze();
        var atFreeze = Expected(reference, longKeys);

        // Replacements (some of a key twice), removals, and replacements of absent keys.
        for (int step = 0; step < 3000; step++)
        {
            int key = random.Next(2500);
            if (random.Next(4) == 0)
            {
                Assert.Equal(reference.Remove(key), tree.Remove(Key(key, longKeys)));
            }
            else
            {
                bool present = reference.ContainsKey(key);
                Assert.Equal(present, tree.TryReplace(Key(key, longKeys), -step));
                if (present) reference[key] = -step;
            }
        }
        tree.CheckInvariants();
        Assert.Equal(Expected(reference, longKeys), Live(tree));
        Assert.Equal(atFreeze, Enumerate(view));
        view.Release();

        // Without a view, a replacement writes the leaf in place: the root stays.
        var root = tree.Root;
        int first = reference.Keys.First();
        Assert.True(tree.TryReplace(Key(first, longKeys), 1));
        Assert.Same(root, tree.Root);
        reference[first] = 1;
        Assert.Equal(Expected(reference, longKeys), Live(tree));
    }

    [Fact]
    public void A_view_read_on_another_thread_while_the_owner_writes_sees_exactly_its_entries()
    {
        var random = new Random(17);
        var tree = new BPlusTree<int>(4, 4);
        var reference = new SortedDictionary<int, int>();
        for (int i = 0; i < 3000; i++)
        {
            int key = random.Next(6000);
            if (reference.TryAdd(key, i)) tree.TryAdd(Key(key, longKey: false), i);
        }
        for (int round = 0; round < 200; round++)
        {
            var view = tree.Freeze();
            var expected = Expected(reference, longKeys: false);
            List<(string, int)>? seen = null;
            var reader = new Thread(() => seen = Enumerate(view));
            reader.Start();
            // The owner writes for as long as the reader reads (and at least a few hundred operations).
            for (int i = 0; i < 400 || reader.IsAlive; i++)
            {
                int key = random.Next(6000);
                if (random.Next(2) == 0)
                {
                    if (reference.TryAdd(key, round)) Assert.True(tree.TryAdd(Key(key, longKey: false), round));
                }
                else
                {
                    Assert.Equal(reference.Remove(key), tree.Remove(Key(key, longKey: false)));
                }
            }
            reader.Join();
            view.Release();
            Assert.Equal(expected, seen);
            if (round % 20 == 0) tree.CheckInvariants();
        }
        tree.CheckInvariants();
        Assert.Equal(Expected(reference, longKeys: false), Live(tree));
    }

    [Fact]
    public void Writes_clone_shared_nodes_only_while_a_view_is_held()
    {
        var tree = new BPlusTree<int>(4, 4);
        for (int i = 0; i < 1000; i += 2) tree.TryAdd(Key(i, longKey: false), i);
        var root = tree.Root;
        tree.TryAdd(Key(1, longKey: false), 1);
        Assert.Same(root, tree.Root);

        var first = tree.Freeze();
        var second = tree.Freeze();
        tree.TryAdd(Key(3, longKey: false), 3);
        Assert.NotSame(root, tree.Root);
        root = tree.Root;
        tree.TryAdd(Key(5, longKey: false), 5);
        Assert.Same(root, tree.Root);

        // One of two views released: the other still shares the tree's nodes.
        first.Release();
        first.Release();
        tree.TryAdd(Key(7, longKey: false), 7);
        Assert.Same(root, tree.Root);
        tree.Remove(Key(0, longKey: false));
        Assert.Same(root, tree.Root);

        var third = tree.Freeze();
        second.Release();
        tree.TryAdd(Key(9, longKey: false), 9);
        Assert.NotSame(root, tree.Root);
        third.Release();

        root = tree.Root;
        tree.TryAdd(Key(11, longKey: false), 11);
        tree.Remove(Key(2, longKey: false));
        Assert.Same(root, tree.Root);
        tree.CheckInvariants();
    }

    [Fact]
    public void A_released_view_cannot_be_enumerated()
    {
        var tree = new BPlusTree<int>();
        tree.TryAdd(Key(1, longKey: false), 1);
        var view = tree.Freeze();
        view.Release();
        Assert.Throws<ObjectDisposedException>(() => view.GetEnumerator());
    }

    [Fact]
    public void A_view_of_an_empty_tree_is_empty()
    {
        var tree = new BPlusTree<int>(4, 4);
        var view = tree.Freeze();
        for (int i = 0; i < 100; i++) tree.TryAdd(Key(i, longKey: false), i);
        Assert.Empty(Enumerate(view));
        Assert.Equal(0, view.Count);
        view.Release();
        tree.CheckInvariants();
    }

    [Fact]
    public void Clearing_a_small_tree_keeps_the_arrays_of_its_view()
    {
        // A small root leaf is cleared in place when nothing shares it; a view shares it here.
        var tree = new BPlusTree<int>();
        for (int i = 0; i < 3; i++) tree.TryAdd(Key(i, longKey: false), i);
        var view = tree.Freeze();
        var expected = Live(tree);
        tree.Clear();
        tree.TryAdd(Key(7, longKey: false), 7);
        Assert.Equal(expected, Enumerate(view));
        view.Release();
        tree.CheckInvariants();
        Assert.Equal([(Convert.ToHexString(Key(7, longKey: false)), 7)], Live(tree));
    }

    private static byte[] Key(int i, bool longKey)
    {
        // A long key has a 16-byte prefix in common: over the inline length, ordered by its tail.
        var key = new byte[longKey ? 20 : 4];
        if (longKey) key.AsSpan(0, 16).Fill(0x5A);
        KeyEncoding.WriteI32(key.AsSpan(key.Length - 4), i);
        return key;
    }

    private static List<(string Key, int Value)> Expected(SortedDictionary<int, int> reference, bool longKeys)
    {
        var result = new List<(string, int)>(reference.Count);
        foreach (var pair in reference) result.Add((Convert.ToHexString(Key(pair.Key, longKeys)), pair.Value));
        return result;
    }

    private static List<(string Key, int Value)> Enumerate(BPlusTree<int>.FrozenView view)
    {
        var result = new List<(string, int)>(view.Count);
        var entries = view.GetEnumerator();
        while (entries.MoveNext()) result.Add((Convert.ToHexString(entries.Key), entries.Current));
        return result;
    }

    private static List<(string Key, int Value)> Live(BPlusTree<int> tree)
    {
        var result = new List<(string, int)>(tree.Count);
        var cursor = tree.Seek(KeyRange.All);
        while (cursor.MoveNext()) result.Add((Convert.ToHexString(cursor.Key), cursor.Value));
        return result;
    }
}
