namespace Interstice.Core.Storage;

/// <summary>
/// Content equality of <see cref="StoredKey"/>s, for hash sets of keys that cost no array each
/// when the keys are short (replay's set of the rows a record changes).
/// </summary>
internal sealed class StoredKeyComparer : IEqualityComparer<StoredKey>
{
    public static readonly StoredKeyComparer Instance = new();

    private StoredKeyComparer() { }

    public bool Equals(StoredKey x, StoredKey y) => StoredKey.Bytes(in x).SequenceEqual(StoredKey.Bytes(in y));

    public int GetHashCode(StoredKey key) => KeyComparer.Hash(StoredKey.Bytes(in key));
}
