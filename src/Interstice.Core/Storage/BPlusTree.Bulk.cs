using System.Runtime.CompilerServices;
namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// Fills an empty tree with <paramref name="count"/> entries given in strictly increasing
    /// key order, bottom-up: the leaves are filled in one pass and each level of branches is
    /// built over the one below, instead of descending from the root once per entry. Nodes are
    /// spread evenly over each level, as full as the capacities allow (every node at least half
    /// full, as inserts and removals expect). The tree keeps the key arrays.
    /// </summary>
    /// <param name="count">How many entries.</param>
    /// <param name="keyAt">The key of entry i, strictly increasing with i.</param>
    /// <param name="values">The values, in the same order.</param>
    /// <exception cref="InvalidOperationException">The tree is not empty.</exception>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BuildSorted(int count, Func<int, StoredKey> keyAt, TValue[] values)
    {
        if (_count != 0) throw new InvalidOperationException("a tree is built from sorted entries only when it is empty");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, values.Length, nameof(count));
        if (count == 0) return;

        int leafCount = (count + _leafCapacity - 1) / _leafCapacity;
        var level = new Node[leafCount];
        // The smallest key under each node of the level: the separators of the level above.
        var lowest = new StoredKey[leafCount];
        Leaf? previous = null;
        int at = 0;
        for (int i = 0; i < leafCount; i++)
        {
            int take = Share(count, leafCount, i);
            var leaf = new Leaf(leafCount == 1 ? Math.Max(take, Math.Min(InitialLeafArrayLength, _leafCapacity + 1)) : _leafCapacity + 1, _generation);
            for (int j = 0; j < take; j++) leaf.SetKey(j, keyAt(at + j));
            Array.Copy(values, at, leaf.Values, 0, take);
            leaf.Count = take;
            lowest[i] = leaf.KeyAt(0);
            at += take;
            if (previous != null) previous.Next = leaf;
            leaf.Prev = previous;
            previous = leaf;
            level[i] = leaf;
        }

        int height = 1;
        int fanOut = _branchCapacity + 1;
        while (level.Length > 1)
        {
            int branchCount = (level.Length + fanOut - 1) / fanOut;
            var parents = new Node[branchCount];
            var parentLowest = new StoredKey[branchCount];
            int child = 0;
            for (int i = 0; i < branchCount; i++)
            {
                int take = Share(level.Length, branchCount, i);
                var branch = new Branch(_branchCapacity, _generation);
                Array.Copy(level, child, branch.Children, 0, take);
                for (int j = 1; j < take; j++) branch.SetKey(j - 1, lowest[child + j]);
                branch.Count = take - 1;
                parentLowest[i] = lowest[child];
                child += take;
                parents[i] = branch;
            }
            level = parents;
            lowest = parentLowest;
            height++;
        }
        _root = level[0];
        _height = height;
        _count = count;
    }

    /// <summary>How many of <paramref name="total"/> items the <paramref name="index"/>-th of <paramref name="parts"/> even parts takes.</summary>
    private static int Share(int total, int parts, int index) => total / parts + (index < total % parts ? 1 : 0);
}
