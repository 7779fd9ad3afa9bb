using System.Runtime.CompilerServices;

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

    /// <summary>Writes the key of <paramref name="value"/>, one row (not a set of rows), to <paramref name="key"/>.</summary>
    void WriteKey(TValue value, ref KeyWriter key);

    /// <summary>
    /// True when <paramref name="a"/> (one row) and <paramref name="b"/> have one key.
    /// Only a bulk fill asks, and only for values with equal hashes: the call on a struct
    /// matcher goes through a box, which the probe paths (<see cref="HasKey"/>) never pay.
    /// </summary>
    [SkipLocalsInit]
    bool SameKey(TValue a, TValue b)
    {
        var first = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            WriteKey(a, ref first);
            return HasKey(b, first.Written);
        }
        finally
        {
            first.Dispose();
        }
    }
}
