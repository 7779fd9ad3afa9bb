using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// Matches the values of a <see cref="HashIndex"/> (a row, or a <see cref="RowSet"/> whose
/// rows share one key) by reading the index key out of the row with the table's layout: the
/// index keeps no key of its own, and the row it reads is the one a lookup returns anyway.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal readonly struct IndexKeyMatcher(ITableLayout layout, int index) : IKeyMatcher<object>
{
    public int Hash(ReadOnlySpan<byte> key) => KeyComparer.Hash(key);

    public bool HasKey(object value, ReadOnlySpan<byte> key)
    {
        var row = value as byte[] ?? ((RowSet)value).First();
        var written = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            layout.WriteIndexKey(index, row, ref written);
            return written.Written.SequenceEqual(key);
        }
        finally
        {
            written.Dispose();
        }
    }

    public void WriteKey(object row, ref KeyWriter key) => layout.WriteIndexKey(index, (byte[])row, ref key);
}
