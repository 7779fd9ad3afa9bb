using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// An ordered map from encoded keys (byte strings, compared by <see cref="KeyComparer"/>) to
/// values: a B+tree with a high fan-out. Lookups, inserts and removals are O(log n) and
/// allocate nothing beyond a node now and then: keys are held as <see cref="StoredKey"/>s,
/// short ones (up to 16 bytes) inline in the nodes, long ones as the array the caller hands
/// over; probes take spans. Entries live in the leaves, which are chained left to
/// right, so a <see cref="Cursor"/> walks a range in key order.
/// <para>
/// Not thread-safe: any number of readers and cursors, or one writer. A cursor stays valid
/// while the tree is not modified (the owner's reader/writer discipline guarantees it).
/// The exception is a <see cref="FrozenView"/> (<see cref="Freeze"/>): the entries as of the
/// freeze, readable from another thread while the owner goes on modifying the tree, because
/// the nodes they live in are shared copy-on-write until the view is released.
/// </para>
/// <para>
/// Layout: leaves hold up to <c>leafCapacity</c> entries and branches up to
/// <c>branchCapacity</c> separator keys; every node but the root and the last leaf is at
/// least half full.
/// Separator <c>Keys[i]</c> of a branch is greater than every key under <c>Children[i]</c>
/// and at most the smallest key under <c>Children[i + 1]</c>. A tree starts as one small
/// leaf whose arrays grow, so that the many tiny trees (transaction overlays, per-key sets)
/// stay cheap. Appending past the last key fills leaves completely instead of splitting them
/// in half, so sequential keys (auto-increment ids) pack densely.
/// </para>
/// </summary>
internal sealed partial class BPlusTree<TValue>
{
    public const int DefaultLeafCapacity = 64;
    public const int DefaultBranchCapacity = 64;
    private const int InitialLeafArrayLength = 4;

    private readonly int _leafCapacity;
    private readonly int _branchCapacity;
    private Node _root;
    /// <summary>Levels from the root to the leaves, both included (1: the root is a leaf).</summary>
    private int _height;
    private int _count;
    /// <summary>
    /// The generation new nodes are created in. <see cref="Freeze"/> shares every node created
    /// so far (see <see cref="_views"/>) and starts the next generation.
    /// </summary>
    private int _generation;

    public BPlusTree() : this(DefaultLeafCapacity, DefaultBranchCapacity) { }

    /// <summary>A tree with chosen node sizes; tests use tiny ones to exercise every split and merge.</summary>
    public BPlusTree(int leafCapacity, int branchCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leafCapacity, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(branchCapacity, 4);
        _leafCapacity = leafCapacity;
        _branchCapacity = branchCapacity;
        _root = new Leaf(Math.Min(InitialLeafArrayLength, leafCapacity + 1), _generation);
        _height = 1;
    }

    /// <summary>The number of entries.</summary>
    public int Count => _count;

    /// <summary>Levels from root to leaves (1 when the root is a leaf).</summary>
    public int Height => _height;

    /// <summary>The root node (tests check which nodes a write copied).</summary>
    internal Node Root => _root;

    public bool TryGetValue(ReadOnlySpan<byte> key, out TValue value)
    {
        var leaf = FindLeaf(key);
        int index = Search(leaf, key);
        if (index >= 0)
        {
            value = leaf.Values[index];
            return true;
        }
        value = default!;
        return false;
    }

    public bool ContainsKey(ReadOnlySpan<byte> key) => Search(FindLeaf(key), key) >= 0;

    /// <summary>
    /// Finds the smallest key at or after <paramref name="key"/>; with a prefix as the key,
    /// the caller checks whether the result starts with it (a prefix probe without allocation).
    /// The key found is valid while the tree is not modified.
    /// </summary>
    public bool TryGetFirstAtOrAfter(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> foundKey, out TValue value)
    {
        var cursor = SeekFrom(key, inclusive: true, KeyBound.Unbounded);
        if (cursor.MoveNext())
        {
            foundKey = cursor.Key;
            value = cursor.Value;
            return true;
        }
        foundKey = default;
        value = default!;
        return false;
    }

    /// <summary>
    /// Adds an entry unless the key is present. The tree keeps a long key's array (it must not
    /// be modified afterwards). Returns false, changing nothing, when the key is present.
    /// </summary>
    public bool TryAdd(byte[] key, TValue value) => TryAdd(StoredKey.Adopt(key), value);

    /// <summary>Adds an entry unless the key is present; false, changing nothing, when it is.</summary>
    public bool TryAdd(in StoredKey key, TValue value)
    {
        if (IsShared(_root)) _root = _root.Clone(_generation);
        if (!Insert(_root, _height, key, value, out var right, out var separator)) return false;
        if (right != null)
        {
            var root = new Branch(_branchCapacity, _generation);
            root.SetKey(0, separator);
            root.Children[0] = _root;
            root.Children[1] = right;
            root.Count = 1;
            _root = root;
            _height++;
        }
        _count++;
        return true;
    }

    /// <summary>
    /// Gives the entry with <paramref name="key"/> the value <paramref name="value"/>; false when
    /// there is none. Like every write, it first copies the nodes on its path that a frozen view
    /// shares, so a view taken before keeps the old value.
    /// </summary>
    public bool TryReplace(ReadOnlySpan<byte> key, TValue value)
    {
        if (IsShared(_root)) _root = _root.Clone(_generation);
        var node = _root;
        for (int level = _height; level > 1; level--)
        {
            var branch = Unsafe.As<Branch>(node);
            node = OwnChild(branch, ChildIndex(branch, key));
        }
        var leaf = Unsafe.As<Leaf>(node);
        int index = Search(leaf, key);
        if (index < 0) return false;
        leaf.Values[index] = value;
        return true;
    }

    /// <summary>Removes the entry with <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(ReadOnlySpan<byte> key, out TValue value)
    {
        if (IsShared(_root)) _root = _root.Clone(_generation);
        if (!Remove(_root, _height, key, out value)) return false;
        _count--;
        if (_height > 1 && _root.Count == 0)
        {
            _root = Unsafe.As<Branch>(_root).Children[0];
            _height--;
        }
        return true;
    }

    public bool Remove(ReadOnlySpan<byte> key) => Remove(key, out _);

    /// <summary>Removes every entry; keeps a small root leaf's arrays for reuse unless a frozen view shares them.</summary>
    public void Clear()
    {
        if (_height == 1 && _root.Keys.Length <= 2 * InitialLeafArrayLength && !IsShared(_root))
        {
            var leaf = Unsafe.As<Leaf>(_root);
            Array.Clear(leaf.Keys, 0, leaf.Count);
            if (RuntimeHelpers.IsReferenceOrContainsReferences<TValue>()) Array.Clear(leaf.Values, 0, leaf.Count);
            leaf.Count = 0;
        }
        else
        {
            _root = new Leaf(Math.Min(InitialLeafArrayLength, _leafCapacity + 1), _generation);
            _height = 1;
        }
        _count = 0;
    }

    /// <summary>A cursor over the entries in <paramref name="range"/>, in key order.</summary>
    public Cursor Seek(in KeyRange range) => range.Lower.Kind == BoundKind.Unbounded
        ? new Cursor(FirstLeaf(), -1, range.Upper)
        : SeekFrom(range.Lower.Key.Span, range.Lower.Kind == BoundKind.Inclusive, range.Upper);

    /// <summary>A cursor from a lower bound given as a span, up to <paramref name="upper"/>.</summary>
    public Cursor SeekFrom(ReadOnlySpan<byte> lower, bool inclusive, KeyBound upper)
    {
        var leaf = FindLeaf(lower);
        int index = Search(leaf, lower);
        // The cursor sits just before the first entry to return.
        int before = index >= 0 ? (inclusive ? index - 1 : index) : ~index - 1;
        return new Cursor(leaf, before, upper);
    }

    private Leaf FindLeaf(ReadOnlySpan<byte> key)
    {
        var node = _root;
        for (int level = _height; level > 1; level--)
        {
            var branch = Unsafe.As<Branch>(node);
            node = branch.Children[ChildIndex(branch, key)];
        }
        return Unsafe.As<Leaf>(node);
    }

    private Leaf FirstLeaf()
    {
        var node = _root;
        for (int level = _height; level > 1; level--) node = Unsafe.As<Branch>(node).Children[0];
        return Unsafe.As<Leaf>(node);
    }

    /// <summary>
    /// Binary search among a node's keys: the index of <paramref name="key"/>, or the complement
    /// of where it would go. Compares the keys' heads as integers (<see cref="StoredKey.Order"/>);
    /// only equal heads need more, and only long keys need their arrays (which live elsewhere
    /// in memory).
    /// </summary>
    private static int Search(Node node, ReadOnlySpan<byte> key)
    {
        UInt128 order = StoredKey.OrderOf(key);
        var heads = node.Heads;
        int low = 0, high = node.Count - 1;
        while (low <= high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            UInt128 candidate = StoredKey.Order(heads[middle]);
            int c = candidate < order ? -1 : candidate > order ? 1 : StoredKey.CompareTied(node.Keys[middle], key);
            if (c == 0) return middle;
            if (c < 0) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    /// <summary>The child of <paramref name="branch"/> whose subtree holds <paramref name="key"/>.</summary>
    private static int ChildIndex(Branch branch, ReadOnlySpan<byte> key)
    {
        int index = Search(branch, key);
        return index >= 0 ? index + 1 : ~index;
    }

    internal abstract class Node
    {
        protected Node(int keySlots, int generation)
        {
            Keys = new byte[keySlots][];
            Heads = new UInt128[keySlots];
            Generation = generation;
        }

        /// <summary>The tree's generation when the node was created: whether a frozen view may share it.</summary>
        public readonly int Generation;

        /// <summary>Each key's <see cref="StoredKey.Array"/>: the key itself when long, else a length tag.</summary>
        public byte[][] Keys;
        /// <summary>Each key's <see cref="StoredKey.Head"/>, kept in step with <see cref="Keys"/>.</summary>
        public UInt128[] Heads;
        public int Count;

        public StoredKey KeyAt(int index) => StoredKey.FromParts(Keys[index], Heads[index]);

        /// <summary>The bytes of key <paramref name="index"/>, valid while the node is not modified.</summary>
        public ReadOnlySpan<byte> KeyBytes(int index) => StoredKey.Bytes(Keys[index], ref Heads[index]);

        public void SetKey(int index, in StoredKey key)
        {
            Keys[index] = key.Array;
            Heads[index] = key.Head;
        }

        /// <summary>Shifts keys from <paramref name="index"/> right (does not change <see cref="Count"/>).</summary>
        public void InsertKey(int index, in StoredKey key)
        {
            if (index < Count)
            {
                Array.Copy(Keys, index, Keys, index + 1, Count - index);
                Array.Copy(Heads, index, Heads, index + 1, Count - index);
            }
            SetKey(index, key);
        }

        /// <summary>Shifts keys after <paramref name="index"/> left and clears the freed slot (does not change <see cref="Count"/>).</summary>
        public void RemoveKey(int index)
        {
            if (index < Count - 1)
            {
                Array.Copy(Keys, index + 1, Keys, index, Count - index - 1);
                Array.Copy(Heads, index + 1, Heads, index, Count - index - 1);
            }
            Keys[Count - 1] = null!;
        }

        public void CopyKeysTo(int index, Node destination, int destinationIndex, int count)
        {
            Array.Copy(Keys, index, destination.Keys, destinationIndex, count);
            Array.Copy(Heads, index, destination.Heads, destinationIndex, count);
        }

        public void ResizeKeys(int length)
        {
            Array.Resize(ref Keys, length);
            Array.Resize(ref Heads, length);
        }

        /// <summary>A private copy of the node in <paramref name="generation"/>, to modify in place of this shared one.</summary>
        public abstract Node Clone(int generation);
    }

    internal sealed class Leaf : Node
    {
        /// <summary>Arrays have one slot more than the capacity: an insert overflows, then splits.</summary>
        public Leaf(int arrayLength, int generation) : base(arrayLength, generation) => Values = new TValue[arrayLength];

        public TValue[] Values;
        /// <summary>
        /// The live leaf chain, for cursors. Live-only state: the owner rewrites it even in a leaf
        /// a frozen view shares (a frozen walk goes through the branches, never through the chain).
        /// </summary>
        public Leaf? Next;
        public Leaf? Prev;

        /// <summary>Also takes this leaf's place in the live chain.</summary>
        public override Node Clone(int generation)
        {
            var clone = new Leaf(Keys.Length, generation);
            CopyKeysTo(0, clone, 0, Count);
            Array.Copy(Values, clone.Values, Count);
            clone.Count = Count;
            clone.Next = Next;
            clone.Prev = Prev;
            if (Next != null) Next.Prev = clone;
            if (Prev != null) Prev.Next = clone;
            return clone;
        }
    }

    internal sealed class Branch : Node
    {
        public Branch(int capacity, int generation) : base(capacity + 1, generation) => Children = new Node[capacity + 2];

        public readonly Node[] Children;

        public override Node Clone(int generation)
        {
            var clone = new Branch(Children.Length - 2, generation);
            CopyKeysTo(0, clone, 0, Count);
            Array.Copy(Children, clone.Children, Count + 1);
            clone.Count = Count;
            return clone;
        }
    }
}
