namespace Interstice.Core.Durability;

/// <summary>
/// A log segment or snapshot holds bytes that are not what the writer wrote (a checksum
/// mismatch, a record that cannot be decoded, a broken sequence of transaction ids...).
/// Names the file, the byte offset of the record or block concerned, and the reason.
/// <c>interstice log verify --data-dir DIR</c> reports the same problems and can repair the log
/// by truncating it at the last valid record.
/// </summary>
public sealed class CorruptDataException : IOException
{
    public CorruptDataException(string file, long offset, string reason)
        : base($"{file}: corrupt at byte {offset}: {reason}")
    {
        File = file;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The path of the segment or snapshot file.</summary>
    public string File { get; }

    /// <summary>The byte offset of the record, block or header that is wrong.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, e.g. <c>record checksum mismatch</c>.</summary>
    public string Reason { get; }
}
