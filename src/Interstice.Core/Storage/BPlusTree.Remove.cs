using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    private int MinLeafCount => _leafCapacity / 2;

    private int MinBranchCount => _branchCapacity / 2;

    /// <summary>
    /// Removes from the subtree at <paramref name="node"/>; a child left less than half full
    /// borrows an entry from a sibling or merges with it, so every non-root node stays at
    /// least half full and the tree's height stays logarithmic. <paramref name="node"/> is
    /// private; so is every node written below it, made so first (<see cref="OwnChild"/>).
    /// </summary>
    private bool Remove(Node node, int level, ReadOnlySpan<byte> key, out TValue value)
    {
        if (level == 1)
        {
            var leaf = Unsafe.As<Leaf>(node);
            int index = Search(leaf, key);
            if (index < 0)
            {
                value = default!;
                return false;
            }
            value = leaf.Values[index];
            leaf.RemoveKey(index);
            RemoveAt(leaf.Values, leaf.Count, index);
            leaf.Count--;
            return true;
        }

        var branch = Unsafe.As<Branch>(node);
        int child = ChildIndex(branch, key);
        if (!Remove(OwnChild(branch, child), level - 1, key, out value)) return false;
        if (level == 2)
        {
            if (branch.Children[child].Count < MinLeafCount) RebalanceLeaf(branch, child);
        }
        else if (branch.Children[child].Count < MinBranchCount)
        {
            RebalanceBranch(branch, child);
        }
        return true;
    }

    private void RebalanceLeaf(Branch parent, int index)
    {
        var leaf = Unsafe.As<Leaf>(parent.Children[index]);
        if (index > 0)
        {
            var left = Unsafe.As<Leaf>(parent.Children[index - 1]);
            if (left.Count > MinLeafCount)
            {
                left = Unsafe.As<Leaf>(OwnChild(parent, index - 1));
                int last = left.Count - 1;
                leaf.InsertKey(0, left.KeyAt(last));
                InsertAt(leaf.Values, leaf.Count, 0, left.Values[last]);
                leaf.Count++;
                left.Keys[last] = null!;
                left.Values[last] = default!;
                left.Count--;
                parent.SetKey(index - 1, leaf.KeyAt(0));
                return;
            }
        }
        if (index < parent.Count)
        {
            var right = Unsafe.As<Leaf>(parent.Children[index + 1]);
            if (right.Count > MinLeafCount)
            {
                right = Unsafe.As<Leaf>(OwnChild(parent, index + 1));
                leaf.SetKey(leaf.Count, right.KeyAt(0));
                leaf.Values[leaf.Count] = right.Values[0];
                leaf.Count++;
                right.RemoveKey(0);
                RemoveAt(right.Values, right.Count, 0);
                right.Count--;
                parent.SetKey(index, right.KeyAt(0));
                return;
            }
        }
        MergeLeaves(parent, index > 0 ? index - 1 : index);
    }

    /// <summary>Moves the leaf at <paramref name="index"/> + 1 into the one at <paramref name="index"/> (the right one is only read).</summary>
    private void MergeLeaves(Branch parent, int index)
    {
        var left = Unsafe.As<Leaf>(OwnChild(parent, index));
        var right = Unsafe.As<Leaf>(parent.Children[index + 1]);
        right.CopyKeysTo(0, left, left.Count, right.Count);
        Array.Copy(right.Values, 0, left.Values, left.Count, right.Count);
        left.Count += right.Count;
        left.Next = right.Next;
        if (left.Next != null) left.Next.Prev = left;
        parent.RemoveKey(index);
        RemoveAt(parent.Children, parent.Count + 1, index + 1);
        parent.Count--;
    }

    private void RebalanceBranch(Branch parent, int index)
    {
        var node = Unsafe.As<Branch>(parent.Children[index]);
        if (index > 0)
        {
            var left = Unsafe.As<Branch>(parent.Children[index - 1]);
            if (left.Count > MinBranchCount)
            {
                left = Unsafe.As<Branch>(OwnChild(parent, index - 1));
                // Rotate right: the parent's separator comes down, the left sibling's last key goes up.
                node.InsertKey(0, parent.KeyAt(index - 1));
                InsertAt(node.Children, node.Count + 1, 0, left.Children[left.Count]);
                node.Count++;
                parent.SetKey(index - 1, left.KeyAt(left.Count - 1));
                left.Keys[left.Count - 1] = null!;
                left.Children[left.Count] = null!;
                left.Count--;
                return;
            }
        }
        if (index < parent.Count)
        {
            var right = Unsafe.As<Branch>(parent.Children[index + 1]);
            if (right.Count > MinBranchCount)
            {
                right = Unsafe.As<Branch>(OwnChild(parent, index + 1));
                // Rotate left: the parent's separator comes down, the right sibling's first key goes up.
                node.SetKey(node.Count, parent.KeyAt(index));
                node.Children[node.Count + 1] = right.Children[0];
                node.Count++;
                parent.SetKey(index, right.KeyAt(0));
                right.RemoveKey(0);
                RemoveAt(right.Children, right.Count + 1, 0);
                right.Count--;
                return;
            }
        }
        MergeBranches(parent, index > 0 ? index - 1 : index);
    }

    /// <summary>Pulls the separator down and moves the branch at <paramref name="index"/> + 1 into the one at <paramref name="index"/> (the right one is only read).</summary>
    private void MergeBranches(Branch parent, int index)
    {
        var left = Unsafe.As<Branch>(OwnChild(parent, index));
        var right = Unsafe.As<Branch>(parent.Children[index + 1]);
        left.SetKey(left.Count, parent.KeyAt(index));
        right.CopyKeysTo(0, left, left.Count + 1, right.Count);
        Array.Copy(right.Children, 0, left.Children, left.Count + 1, right.Count + 1);
        left.Count += 1 + right.Count;
        parent.RemoveKey(index);
        RemoveAt(parent.Children, parent.Count + 1, index + 1);
        parent.Count--;
    }

    /// <summary>Removes <paramref name="array"/>[<paramref name="index"/>] of the first <paramref name="count"/>, clearing the freed slot.</summary>
    private static void RemoveAt<T>(T[] array, int count, int index)
    {
        if (index < count - 1) Array.Copy(array, index + 1, array, index, count - index - 1);
        array[count - 1] = default!;
    }
}
