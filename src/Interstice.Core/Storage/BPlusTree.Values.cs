namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// Copies every value, in key order, into <paramref name="destination"/> (at least
    /// <see cref="Count"/> long), a leaf at a time: a snapshot's cut of a table costs a block copy
    /// per leaf rather than a step per entry.
    /// </summary>
    public void CopyValuesTo(TValue[] destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, _count, nameof(destination));
        int at = 0;
        for (Leaf? leaf = FirstLeaf(); leaf != null; leaf = leaf.Next)
        {
            Array.Copy(leaf.Values, 0, destination, at, leaf.Count);
            at += leaf.Count;
        }
    }
}
