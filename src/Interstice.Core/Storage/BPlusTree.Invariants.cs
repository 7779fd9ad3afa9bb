namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// Verifies the structure (order, separators, fill, leaf chain both ways, count, uniform
    /// depth, generations: no node newer than the tree, no private node under a shared one);
    /// throws <see cref="InvalidOperationException"/> naming the first broken rule. For tests
    /// and diagnostics: it visits every node.
    /// </summary>
    public void CheckInvariants()
    {
        Leaf? previousLeaf = null;
        byte[]? previousKey = null;
        int total = 0;
        Check(_root, _height, null, null, isRoot: true, parentShared: false, ref previousLeaf, ref previousKey, ref total);
        if (previousLeaf?.Next != null) throw new InvalidOperationException("the last leaf has a successor");
        if (total != _count) throw new InvalidOperationException($"count is {_count} but the leaves hold {total} entries");
    }

    private void Check(Node node, int level, byte[]? low, byte[]? high, bool isRoot, bool parentShared,
        ref Leaf? previousLeaf, ref byte[]? previousKey, ref int total)
    {
        if (node.Generation > _generation) throw new InvalidOperationException($"a node of generation {node.Generation} is newer than the tree's {_generation}");
        bool shared = IsShared(node);
        // A shared node is never written, and what it points to was shared with it at the freeze.
        if (parentShared && !shared) throw new InvalidOperationException("a private node hangs under a shared one");
        for (int i = 0; i < node.Count; i++)
        {
            var array = node.Keys[i] ?? throw new InvalidOperationException("a used key slot is null");
            if (array.Length <= StoredKey.HeadLength && !StoredKey.IsLengthTag(array)) throw new InvalidOperationException("a short key is stored as its own array");
            var key = node.KeyBytes(i);
            if (node.Heads[i] != StoredKey.HeadOf(key)) throw new InvalidOperationException("a key's head is stale");
            if (low != null && KeyComparer.Compare(key, low) < 0) throw new InvalidOperationException("a key is below its separator");
            if (high != null && KeyComparer.Compare(key, high) >= 0) throw new InvalidOperationException("a key is at or above the next separator");
        }
        for (int i = node.Count; i < node.Keys.Length; i++)
        {
            if (node.Keys[i] != null) throw new InvalidOperationException("an unused key slot holds a reference");
        }
        if (level == 1)
        {
            var leaf = (Leaf)node;
            // The last leaf may be short: an append splits off a leaf holding just the new entry.
            bool mayBeShort = isRoot || (leaf.Next == null && leaf.Count > 0);
            if (!mayBeShort && leaf.Count < MinLeafCount) throw new InvalidOperationException($"a leaf holds {leaf.Count} entries, below {MinLeafCount}");
            if (leaf.Count > _leafCapacity) throw new InvalidOperationException("a leaf is over capacity");
            if (previousLeaf != null && previousLeaf.Next != leaf) throw new InvalidOperationException("the leaf chain skips a leaf");
            if (leaf.Prev != previousLeaf) throw new InvalidOperationException("a leaf's predecessor link is not the leaf before it");
            for (int i = 0; i < leaf.Count; i++)
            {
                if (previousKey != null && KeyComparer.Compare(previousKey, leaf.KeyBytes(i)) >= 0) throw new InvalidOperationException("keys are not strictly increasing");
                previousKey = leaf.KeyBytes(i).ToArray();
            }
            previousLeaf = leaf;
            total += leaf.Count;
            return;
        }
        var branch = (Branch)node;
        if (isRoot ? branch.Count < 1 : branch.Count < MinBranchCount) throw new InvalidOperationException($"a branch holds {branch.Count} keys, too few");
        if (branch.Count > _branchCapacity) throw new InvalidOperationException("a branch is over capacity");
        for (int i = 0; i <= branch.Count; i++)
        {
            var childLow = i == 0 ? low : branch.KeyBytes(i - 1).ToArray();
            var childHigh = i == branch.Count ? high : branch.KeyBytes(i).ToArray();
            Check(branch.Children[i], level - 1, childLow, childHigh, isRoot: false, shared, ref previousLeaf, ref previousKey, ref total);
        }
        for (int i = branch.Count + 1; i < branch.Children.Length; i++)
        {
            if (branch.Children[i] != null) throw new InvalidOperationException("an unused child slot holds a reference");
        }
    }
}
