namespace Interstice.Core.Storage;

/// <summary>
/// The one comparator of encoded keys: lexicographic unsigned byte order (a shorter key that
/// is a prefix of a longer one sorts first). Also the content equality and hash used by hash
/// indexes, which can be looked up with a span (no key array needed to probe).
/// </summary>
public sealed class KeyComparer :
    IComparer<byte[]>,
    IEqualityComparer<byte[]>,
    IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    /// <summary>The shared instance.</summary>
    public static readonly KeyComparer Instance = new();

    private KeyComparer() { }

    /// <summary>Compares two encoded keys.</summary>
    public static int Compare(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) => x.SequenceCompareTo(y);

    int IComparer<byte[]>.Compare(byte[]? x, byte[]? y) => Compare(x, y);

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x != null && y != null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> key)
    {
        // HashCode is seeded per process, so a module cannot pick keys that collide by design.
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
