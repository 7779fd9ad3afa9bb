using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// Inserts into the subtree at <paramref name="node"/> (<paramref name="level"/> 1 = leaf),
    /// which is private (no frozen view shares it); each child it descends to is made private
    /// first. When the node overflows it splits: <paramref name="right"/> is the new right sibling and
    /// <paramref name="separator"/> the key the parent routes to it by.
    /// </summary>
    private bool Insert(Node node, int level, in StoredKey key, TValue value, out Node? right, out StoredKey separator)
    {
        right = null;
        separator = default;
        if (level == 1)
        {
            var leaf = Unsafe.As<Leaf>(node);
            int index = Search(leaf, StoredKey.Bytes(in key));
            if (index >= 0) return false;
            index = ~index;
            if (leaf.Count == leaf.Keys.Length) GrowRootLeaf(leaf);
            leaf.InsertKey(index, key);
            InsertAt(leaf.Values, leaf.Count, index, value);
            leaf.Count++;
            if (leaf.Count > _leafCapacity)
            {
                bool appended = index == leaf.Count - 1 && leaf.Next == null;
                var sibling = SplitLeaf(leaf, appended);
                right = sibling;
                separator = sibling.KeyAt(0);
            }
            return true;
        }

        var branch = Unsafe.As<Branch>(node);
        int child = ChildIndex(branch, StoredKey.Bytes(in key));
        if (!Insert(OwnChild(branch, child), level - 1, key, value, out var childRight, out var childSeparator)) return false;
        if (childRight != null)
        {
            branch.InsertKey(child, childSeparator);
            InsertAt(branch.Children, branch.Count + 1, child + 1, childRight);
            branch.Count++;
            if (branch.Count > _branchCapacity) right = SplitBranch(branch, out separator);
        }
        return true;
    }

    /// <summary>Only the root leaf of a young tree has short arrays; they double up to full size.</summary>
    private void GrowRootLeaf(Leaf leaf)
    {
        int length = Math.Min(leaf.Keys.Length * 2, _leafCapacity + 1);
        leaf.ResizeKeys(length);
        Array.Resize(ref leaf.Values, length);
    }

    /// <summary>
    /// Splits an overflowing leaf in two halves, or, for an append at the end of the last leaf,
    /// moves only the new entry so that the left leaf stays full.
    /// </summary>
    private Leaf SplitLeaf(Leaf leaf, bool appended)
    {
        var right = new Leaf(_leafCapacity + 1, _generation);
        int keep = appended ? leaf.Count - 1 : leaf.Count / 2;
        int move = leaf.Count - keep;
        leaf.CopyKeysTo(keep, right, 0, move);
        Array.Copy(leaf.Values, keep, right.Values, 0, move);
        Array.Clear(leaf.Keys, keep, move);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TValue>()) Array.Clear(leaf.Values, keep, move);
        right.Count = move;
        leaf.Count = keep;
        right.Next = leaf.Next;
        right.Prev = leaf;
        if (right.Next != null) right.Next.Prev = right;
        leaf.Next = right;
        return right;
    }

    /// <summary>Splits an overflowing branch around its middle key, which moves up to the parent.</summary>
    private Branch SplitBranch(Branch branch, out StoredKey separator)
    {
        int middle = branch.Count / 2;
        int rightKeys = branch.Count - middle - 1;
        var right = new Branch(_branchCapacity, _generation);
        branch.CopyKeysTo(middle + 1, right, 0, rightKeys);
        Array.Copy(branch.Children, middle + 1, right.Children, 0, rightKeys + 1);
        separator = branch.KeyAt(middle);
        Array.Clear(branch.Keys, middle, branch.Count - middle);
        Array.Clear(branch.Children, middle + 1, rightKeys + 1);
        branch.Count = middle;
        right.Count = rightKeys;
        return right;
    }

    private static void InsertAt<T>(T[] array, int count, int index, T item)
    {
        if (index < count) Array.Copy(array, index, array, index + 1, count - index);
        array[index] = item;
    }
}
