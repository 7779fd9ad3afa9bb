namespace Interstice.Core.Durability.Log;

/// <summary>
/// Where the log ends, as a walk over its last segment found it: recovery hands it to
/// <see cref="CommitLog"/>, which then appends there without reading the segment again.
/// </summary>
/// <param name="SegmentPath">The last segment.</param>
/// <param name="Length">The end of its last valid record (of its header when it holds none): its length once a torn tail is cut away, and where the next record goes.</param>
/// <param name="HasRecords">Whether the segment holds records (a segment with only a header is removed when the log opens).</param>
/// <param name="LastTransactionId">The id of the segment's last record; when it holds none, of the record before it (from the header chain).</param>
internal readonly record struct LogEnd(string SegmentPath, long Length, bool HasRecords, ulong LastTransactionId)
{
    /// <summary>
    /// True when this is still the end of the log on disk: the segment is the last of
    /// <paramref name="segments"/> and its file is <see cref="Length"/> bytes long. Nothing
    /// stops another process from writing the directory between the walk and now, so the
    /// end is trusted only if the file is exactly as the walk left it.
    /// </summary>
    public bool Describes(IReadOnlyList<SegmentFile> segments)
    {
        if (segments.Count == 0 || !string.Equals(segments[^1].Path, SegmentPath, StringComparison.Ordinal)) return false;
        var file = new FileInfo(SegmentPath);
        return file.Exists && file.Length == Length;
    }
}
