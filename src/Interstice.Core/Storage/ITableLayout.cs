namespace Interstice.Core.Storage;

/// <summary>
/// How storage sees into the rows of one table. Storage keeps rows as opaque encoded byte
/// strings; the node implements this interface with the module contract's value codec to get
/// keys out of them. Implementations must be deterministic (the same row always gives the
/// same keys), must not keep the spans they are given, and should write keys straight into
/// the <see cref="KeyWriter"/> so that extracting a key allocates nothing.
/// <para>
/// When a row cannot be decoded, throw <see cref="InvalidRowException"/>; storage extracts
/// every key before it changes anything, so the transaction is left as it was.
/// </para>
/// </summary>
public interface ITableLayout
{
    /// <summary>Writes the encoded primary key of <paramref name="row"/> (see <see cref="KeyEncoding"/>).</summary>
    void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key);

    /// <summary>
    /// Writes the encoded key of <paramref name="row"/> for the index at position
    /// <paramref name="index"/> of <see cref="TableDefinition.Indexes"/>.
    /// </summary>
    void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key);

    /// <summary>
    /// The byte offset in <paramref name="row"/> of the auto-increment column's value, which is
    /// a little-endian integer of the column's width (it may depend on the row, e.g. after a
    /// string). Called only for tables that declare <see cref="TableDefinition.AutoIncrement"/>.
    /// </summary>
    int GetAutoIncrementOffset(ReadOnlySpan<byte> row);
}
