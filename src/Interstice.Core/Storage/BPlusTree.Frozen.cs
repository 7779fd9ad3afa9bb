using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

internal sealed partial class BPlusTree<TValue>
{
    /// <summary>
    /// Nodes of this generation or older are shared with a <see cref="FrozenView"/> and never
    /// written: a write clones such a node first (copy-on-write). -1 while no view is held.
    /// Read by the owner on write paths without a lock: a stale value after a release only
    /// makes it clone a node it could have written in place.
    /// </summary>
    private int _sharedThrough = -1;
    /// <summary>How many views are held; the last release ends the sharing. Guarded by <see cref="_viewLock"/>.</summary>
    private int _views;
    private readonly Lock _viewLock = new();

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
        lock (_viewLock)
        {
            _views++;
            _sharedThrough = _generation;
            _generation++;
        }
        return new FrozenView(this, _root, _height, _count);
    }

    private void ReleaseView()
    {
        lock (_viewLock)
        {
            if (--_views == 0) Volatile.Write(ref _sharedThrough, -1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsShared(Node node) => node.Generation <= _sharedThrough;

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
