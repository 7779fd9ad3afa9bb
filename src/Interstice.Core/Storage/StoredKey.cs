using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interstice.Core.Storage;

/// <summary>
/// An encoded key as storage keeps it: its first <see cref="HeadLength"/> bytes (zero-padded)
/// in <see cref="Head"/>, and an array that is the whole key when the key is longer, or, for a
/// key that fits in the head, a shared empty-content array of the key's length that only says
/// how long it is. Most keys (integers, an integer index key followed by an integer primary
/// key, short strings) fit: a million of them cost no object each, and a B+tree node or an array
/// of keys holds them inline. The head also orders keys: as a big-endian integer
/// (<see cref="Order(UInt128)"/>) it compares like the keys whenever two heads differ.
/// </summary>
internal readonly struct StoredKey
{
    /// <summary>Keys up to this many bytes live in the head alone.</summary>
    public const int HeadLength = 16;

    /// <summary>The length tags of short keys: an array of each length, whose content is never read.</summary>
    private static readonly byte[][] LengthTags = CreateLengthTags();

    /// <summary>The head as bytes: 8-byte aligned where a UInt128 field would be 16 (a stored key takes 24 bytes in an array, not 32).</summary>
    private readonly HeadBytes _head;

    private StoredKey(byte[] array, UInt128 head)
    {
        Array = array;
        _head = Unsafe.BitCast<UInt128, HeadBytes>(head);
    }

    /// <summary>The whole key when it is longer than <see cref="HeadLength"/>; otherwise a length tag.</summary>
    public readonly byte[] Array;

    /// <summary>The first <see cref="HeadLength"/> bytes of the key in memory order, zero-padded.</summary>
    public UInt128 Head => Unsafe.BitCast<HeadBytes, UInt128>(_head);

    /// <summary>A stored copy of <paramref name="key"/>: allocates only when it is longer than the head.</summary>
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StoredKey From(ReadOnlySpan<byte> key) =>
        new(key.Length <= HeadLength ? LengthTags[key.Length] : key.ToArray(), HeadOf(key));

    /// <summary>The primary key of <paramref name="row"/>, read through <paramref name="layout"/>, stored (a copy when longer than the head).</summary>
    [SkipLocalsInit]
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StoredKey PrimaryKeyOf(ITableLayout layout, ReadOnlySpan<byte> row)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            layout.WritePrimaryKey(row, ref key);
            return From(key.Written);
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>Stores <paramref name="key"/>, keeping the array itself when it is longer than the head (it must not change afterwards).</summary>
    public static StoredKey Adopt(byte[] key) =>
        new(key.Length <= HeadLength ? LengthTags[key.Length] : key, HeadOf(key));

    /// <summary>Rebuilds a stored key from the two parts a node keeps in separate arrays.</summary>
    public static StoredKey FromParts(byte[] array, UInt128 head) => new(array, head);

    /// <summary>The key's bytes, read from <paramref name="key"/> where it lies (a field or an array element).</summary>
    public static ReadOnlySpan<byte> Bytes(ref readonly StoredKey key) =>
        key.Array.Length <= HeadLength
            ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<HeadBytes, byte>(ref Unsafe.AsRef(in key._head)), key.Array.Length)
            : key.Array;

    /// <summary>The bytes of a key split into <paramref name="array"/> and the head at <paramref name="head"/>.</summary>
    public static ReadOnlySpan<byte> Bytes(byte[] array, ref readonly UInt128 head) =>
        array.Length <= HeadLength
            ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<UInt128, byte>(ref Unsafe.AsRef(in head)), array.Length)
            : array;

    /// <summary>The first <see cref="HeadLength"/> bytes of <paramref name="key"/>, zero-padded, in memory order.</summary>
    [SkipLocalsInit]
    // Per row in a start: compiled optimized at once, not left to tiering (docs/durability-measurements.md, A node's first start in a new process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static UInt128 HeadOf(ReadOnlySpan<byte> key)
    {
        if (key.Length >= HeadLength) return MemoryMarshal.Read<UInt128>(key);
        UInt128 head = 0;
        key.CopyTo(MemoryMarshal.AsBytes(new Span<UInt128>(ref head)));
        return head;
    }

    /// <summary>
    /// A head as a big-endian integer: integers order like their keys whenever they differ (a
    /// shorter key pads with zeros and so sorts first, as it does when it is a prefix of the
    /// other). Equal integers say nothing unless a key is short: see <see cref="CompareTied"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt128 Order(UInt128 head) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(head) : head;

    /// <summary><see cref="Order(UInt128)"/> of <paramref name="key"/>'s head.</summary>
    public static UInt128 OrderOf(ReadOnlySpan<byte> key) => Order(HeadOf(key));

    /// <summary>
    /// Compares a stored key with <paramref name="key"/> when their heads are equal: when either
    /// fits in its head, the shorter is a prefix of the other (the rest of the head is zeros in
    /// both), so lengths decide; otherwise the whole keys do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareTied(byte[] storedArray, ReadOnlySpan<byte> key) =>
        storedArray.Length <= HeadLength || key.Length <= HeadLength
            ? storedArray.Length.CompareTo(key.Length)
            : storedArray.AsSpan().SequenceCompareTo(key);

    /// <summary>True when <paramref name="array"/> is the length tag of a short key (not a key's own array).</summary>
    public static bool IsLengthTag(byte[] array) => array.Length <= HeadLength && ReferenceEquals(array, LengthTags[array.Length]);

    [InlineArray(HeadLength)]
    private struct HeadBytes
    {
        private byte _first;
    }

    private static byte[][] CreateLengthTags()
    {
        var tags = new byte[HeadLength + 1][];
        for (int i = 0; i <= HeadLength; i++) tags[i] = new byte[i];
        return tags;
    }
}
