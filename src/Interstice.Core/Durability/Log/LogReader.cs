using Interstice.Core.Durability.Records;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// Reads the records of a data directory's log in order, decoded, for inspection and tools
/// (recovery does not use it: it applies records without decoding them into objects). Reading
/// changes nothing: it stops before a torn tail; damage throws <see cref="CorruptDataException"/>.
/// </summary>
public static class LogReader
{
    /// <param name="dataDirectory">The node's data directory.</param>
    /// <param name="includeArchive">Read the archived segments first.</param>
    /// <param name="tornTail">Told, once the last record is read, when the log ends with a torn
    /// tail (which a start would cut away): reading stops before it either way.</param>
    public static IEnumerable<LogEntry> Read(string dataDirectory, bool includeArchive = true, Action<TornTail>? tornTail = null)
    {
        var segments = new DataDirectory(dataDirectory).ListSegments(includeArchive);
        using var cursor = new LogCursor(segments);
        while (true)
        {
            if (!cursor.MoveNext(out var body))
            {
                if (cursor.Torn is { } torn) tornTail?.Invoke(torn);
                yield break;
            }
            yield return new LogEntry(cursor.Segment.Path, cursor.RecordOffset, cursor.Decode(body));
        }
    }
}

/// <summary>A decoded log record and where it is.</summary>
/// <param name="Segment">The segment file.</param>
/// <param name="Offset">The record's byte offset in it.</param>
/// <param name="Record">The record.</param>
public readonly record struct LogEntry(string Segment, long Offset, LogRecord Record);
