using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// The views held (high 32 bits) and the newest generation they share (low 32 bits; -1
    /// while none is held): nodes of that generation or older are never written, a write
    /// clones such a node first (copy-on-write). One word, so that a release on another thread
    /// updates both at once without a lock object in every tree (most trees are tiny and never
    /// frozen). The owner reads it on write paths: a stale value after a release only makes it
    /// clone a node it could have written in place.
    /// </summary>
    private long _views = uint.MaxValue;

    /// <summary>
    /// A read-only view of the entries as they are now, in O(1): it shares the tree's nodes,
    /// and from now on the owner clones a shared node before writing to it (with its path from
    /// the root) instead of modifying it. The view may be read on another thread while the
    /// owner modifies the tree; <see cref="FrozenView.Release"/> it when done, so that writes
    /// go in place again.
    /// <para>Call it as a writer would (no concurrent modification).</para>
    /// </summary>
    public FrozenView Freeze()
    {
        int shared = _generation++;
        long current, next;
        do
        {
            current = Volatile.Read(ref _views);
            next = (((current >> 32) + 1) << 32) | (uint)shared;
        }
        while (Interlocked.CompareExchange(ref _views, next, current) != current);
        return new FrozenView(this, _root, _height, _count);
    }

    private void ReleaseView()
    {
        long current, next;
        do
        {
            current = Volatile.Read(ref _views);
            long held = (current >> 32) - 1;
            next = held == 0 ? uint.MaxValue : (held << 32) | (uint)current;
        }
        while (Interlocked.CompareExchange(ref _views, next, current) != current);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsShared(Node node) => node.Generation <= (int)Volatile.Read(ref _views);

    /// <summary>
    /// The child at <paramref name="index"/> of <paramref name="parent"/> (itself private),
    /// made private first when a frozen view shares it: the parent then points at the copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Node OwnChild(Branch parent, int index)
    {
        var child = parent.Children[index];
        if (!IsShared(child)) return child;
        child = child.Clone(_generation);
        parent.Children[index] = child;
        return child;
    }

    /// <summary>
    /// The entries of a <see cref="BPlusTree{TValue}"/> as of a <see cref="Freeze"/>, enumerated
    /// in key order through the frozen nodes' children (never the leaf chain, which stays the
    /// owner's). Safe on any one thread while the owner modifies the tree, until released.
    /// </summary>
    public sealed class FrozenView
    {
        private readonly BPlusTree<TValue> _tree;
        private readonly Node _root;
        private readonly int _height;
        private int _released;

        internal FrozenView(BPlusTree<TValue> tree, Node root, int height, int count)
        {
            _tree = tree;
            _root = root;
            _height = height;
            Count = count;
        }

        /// <summary>The number of entries at the freeze.</summary>
        public int Count { get; }

        /// <summary>Walks the entries in key order.</summary>
        /// <exception cref="ObjectDisposedException">The view was released.</exception>
        public Enumerator GetEnumerator()
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
            return new Enumerator(_root, _height);
        }

        /// <summary>
        /// Ends the view (any thread; again is harmless): once no view is held, the owner writes
        /// nodes in place again. The view and its enumerators must not be used afterwards.
        /// </summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) _tree.ReleaseView();
        }

        /// <summary>A position among a view's entries, before the first until <see cref="MoveNext"/>.</summary>
        public struct Enumerator
        {
            /// <summary>The branches from the root down to the current leaf's parent, and which child of each the walk is in.</summary>
            private readonly Branch[] _path;
            private readonly int[] _positions;
            private Leaf _leaf;
            private int _index;

            internal Enumerator(Node root, int height)
            {
                _path = new Branch[height - 1];
                _positions = new int[height - 1];
                var node = root;
                for (int depth = 0; depth < _path.Length; depth++)
                {
                    _path[depth] = Unsafe.As<Branch>(node);
                    node = _path[depth].Children[0];
                }
                _leaf = Unsafe.As<Leaf>(node);
                _index = -1;
            }

            /// <summary>The current value.</summary>
            public readonly TValue Current => _leaf.Values[_index];

            /// <summary>The current key, valid while the view is held.</summary>
            public readonly ReadOnlySpan<byte> Key => _leaf.KeyBytes(_index);

            public bool MoveNext()
            {
                if (++_index < _leaf.Count) return true;
                // Up to the deepest branch with a child right of the walk, then down its leftmost path.
                int depth = _path.Length - 1;
                while (depth >= 0 && _positions[depth] == _path[depth].Count) depth--;
                if (depth < 0)
                {
                    _index = _leaf.Count;
                    return false;
                }
                var node = _path[depth].Children[++_positions[depth]];
                for (depth++; depth < _path.Length; depth++)
                {
                    _path[depth] = Unsafe.As<Branch>(node);
                    _positions[depth] = 0;
                    node = _path[depth].Children[0];
                }
                _leaf = Unsafe.As<Leaf>(node);
                _index = 0;
                // Only a root leaf is ever empty, and it has no sibling to reach here.
                return true;
            }
        }
    }
}
