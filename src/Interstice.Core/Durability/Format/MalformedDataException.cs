namespace Interstice.Core.Durability.Format;

/// <summary>
/// A field of a record or block that cannot be read (its checksum matched, so it was written
/// this way). <see cref="Position"/> is relative to the start of what was being read; the
/// caller turns it into a <see cref="CorruptDataException"/> naming the file and byte offset.
/// </summary>
internal sealed class MalformedDataException(string reason, int position) : Exception(reason)
{
    public string Reason { get; } = reason;

    public int Position { get; } = position;
}
