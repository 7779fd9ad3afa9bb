namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// A forward position in a <see cref="BPlusTree{TValue}"/>, starting before its first entry:
    /// call <see cref="MoveNext"/>, then read <see cref="Key"/> and <see cref="Value"/>. Valid
    /// while the tree is not modified. A value type, so walking a range allocates nothing.
    /// </summary>
    public struct Cursor
    {
        private Leaf? _leaf;
        private int _index;
        private readonly KeyBound _upper;

        internal Cursor(Leaf leaf, int before, KeyBound upper)
        {
            _leaf = leaf;
            _index = before;
            _upper = upper;
        }

        /// <summary>The current key (after <see cref="MoveNext"/> returned true), valid while the tree is not modified.</summary>
        public readonly ReadOnlySpan<byte> Key => _leaf!.KeyBytes(_index);

        /// <summary>The current key as the tree stores it (after <see cref="MoveNext"/> returned true), to keep beyond the cursor.</summary>
        public readonly StoredKey StoredKey => _leaf!.KeyAt(_index);

        /// <summary>The current value (after <see cref="MoveNext"/> returned true).</summary>
        public readonly TValue Value => _leaf!.Values[_index];

        public bool MoveNext()
        {
            var leaf = _leaf;
            if (leaf == null) return false;
            int index = _index + 1;
            while (index >= leaf.Count)
            {
                leaf = leaf.Next;
                if (leaf == null)
                {
                    _leaf = null;
                    return false;
                }
                index = 0;
            }
            if (_upper.Kind != BoundKind.Unbounded)
            {
                int c = leaf.KeyBytes(index).SequenceCompareTo(_upper.Key.Span);
                if (c > 0 || (c == 0 && _upper.Kind == BoundKind.Exclusive))
                {
                    _leaf = null;
                    return false;
                }
            }
            _leaf = leaf;
            _index = index;
            return true;
        }
    }
}
