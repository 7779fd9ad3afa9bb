namespace Interstice.Core.Storage;

/// <summary>
/// How a <see cref="RowHashTable{TValue, TKeys}"/> hashes keys and tells whether a value has a
/// key. A struct implementation, so that the table's probe loop is compiled for it (no
/// interface call).
/// </summary>
internal interface IKeyMatcher<TValue>
{
    /// <summary>The hash of <paramref name="key"/> (production matchers use <see cref="KeyComparer.Hash"/>).</summary>
    int Hash(ReadOnlySpan<byte> key);

    /// <summary>True when <paramref name="value"/>'s key is <paramref name="key"/>.</summary>
    bool HasKey(TValue value, ReadOnlySpan<byte> key);
}
