using System.Runtime.CompilerServices;

namespace Interstice.Core.Storage;

/// <summary>
/// Matches a table's rows by their primary key, read out of the row with the table's layout:
/// the hash table keeps no key of its own, and the row it reads is the one a lookup returns.
/// </summary>
// Key buffers are written before they are read: zeroing them first is wasted work.
[SkipLocalsInit]
internal readonly struct PrimaryKeyMatcher(ITableLayout layout) : IKeyMatcher<byte[]>
{
    public int Hash(ReadOnlySpan<byte> key) => KeyComparer.Hash(key);

    public bool HasKey(byte[] row, ReadOnlySpan<byte> key)
    {
        var written = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            layout.WritePrimaryKey(row, ref written);
            return written.Written.SequenceEqual(key);
        }
        finally
        {
            written.Dispose();
        }
    }

    public void WriteKey(byte[] row, ref KeyWriter key) => layout.WritePrimaryKey(row, ref key);
}
