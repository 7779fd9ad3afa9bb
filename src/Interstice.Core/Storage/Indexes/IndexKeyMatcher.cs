using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage.Indexes;

/// <summary>
/// Matches the values of a <see cref="HashIndex"/> (a <see cref="RowSlot"/>, or a
/// <see cref="RowSlotSet"/> whose rows share one key) by reading the index key out of the
/// row with the table's layout: the index keeps no key of its own, and the row it reads is
/// the one a lookup returns anyway.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal readonly struct IndexKeyMatcher(ITableLayout layout, int index) : IKeyMatcher<object>
{
    public int Hash(ReadOnlySpan<byte> key) => KeyComparer.Hash(key);

    public bool HasKey(object value, ReadOnlySpan<byte> key)
    {
        var slot = value as RowSlot ?? ((RowSlotSet)value).First();
        var written = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            layout.WriteIndexKey(index, slot.Row, ref written);
            return written.Written.SequenceEqual(key);
        }
        finally
        {
            written.Dispose();
        }
    }
}
