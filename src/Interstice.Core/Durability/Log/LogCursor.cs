using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Records;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// Walks the records of a sequence of segments in log order and checks everything that does
/// not need the database: segment headers (magic, version, checksum, the first id matching the
/// file name, the chain of previous ids), record frames and checksums, record kinds, and ids
/// strictly increasing. Damage throws <see cref="CorruptDataException"/> with the file, byte
/// offset and reason; the one exception is the end of the last segment: invalid bytes there
/// that no valid record follows (see <see cref="TailScan"/>) are a torn write, reported as <see cref="Torn"/>.
/// </summary>
internal sealed class LogCursor : IDisposable
{
    private readonly IReadOnlyList<SegmentFile> _segments;
    private int _next;
    private FrameFileReader? _reader;
    private ulong _expectedFirst;
    private bool _chainKnown;

    /// <param name="segments">Consecutive segments in log order.</param>
    public LogCursor(IReadOnlyList<SegmentFile> segments) => _segments = segments;

    /// <summary>The segment being read, or the last one read once the walk ended.</summary>
    public SegmentFile Segment { get; private set; }

    /// <summary>The file offset of the current record.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>The file offset just after the current record (or after the last valid one, at the end).</summary>
    public long EndOffset { get; private set; }

    public RecordHeader Header { get; private set; }

    /// <summary>The id of the current record; before the first, the previous segment's last (from the header chain).</summary>
    public ulong LastTransactionId { get; private set; }

    /// <summary>Records read from the current segment.</summary>
    public long RecordsInSegment { get; private set; }

    /// <summary>Set when the walk ended on a torn tail.</summary>
    public TornTail? Torn { get; private set; }

    /// <summary>
    /// Where the log ends, once the walk is over (<see cref="MoveNext"/> returned false): the last
    /// segment read, as it is once <see cref="Torn"/> is cut away. Null when the walk read no
    /// segment, or when the last one was torn within its header (cut away, it is gone whole).
    /// </summary>
    public LogEnd? End { get; private set; }

    /// <summary>
    /// When the walk stopped on invalid bytes in the last segment that are damage, not a torn
    /// tail: their offset and what the scan after them found (so that a verifier counting the
    /// valid records after the damage does not scan again).
    /// </summary>
    public (long Offset, TailScanResult Scan)? DamageScan { get; private set; }

    /// <summary>Called when the walk enters a segment (after its header checked out).</summary>
    public Action<SegmentFile, SegmentHeader>? SegmentStarted { get; init; }

    private bool IsLastSegment => _next == _segments.Count;

    /// <summary>Moves to the next record; false at the end of the log (see <see cref="Torn"/>).</summary>
    public bool MoveNext(out ReadOnlySpan<byte> body)
    {
        body = default;
        while (true)
        {
            if (_reader == null && !OpenNextSegment()) return EndWalk();
            var reader = _reader!;
            long offset = reader.Offset;
            var result = reader.Next(out body, out string reason);
            if (result == ReadResult.End)
            {
                CloseSegment();
                continue;
            }
            if (result == ReadResult.Invalid)
            {
                if (!IsLastSegment) throw new CorruptDataException(reader.Path, offset, reason);
                var scan = TailScan.AfterRecord(reader, offset, LastTransactionId);
                if (scan.Verdict == TailVerdict.Torn)
                {
                    Torn = new TornTail(reader.Path, offset, reader.FileLength, reason);
                    EndOffset = offset;
                    CloseSegment();
                    return EndWalk();
                }
                DamageScan = (offset, scan);
                throw new CorruptDataException(reader.Path, offset, reason + After(scan));
            }
            RecordOffset = offset;
            EndOffset = reader.Offset;
            var fields = new FieldReader(body);
            try
            {
                Header = RecordHeader.Read(ref fields);
            }
            catch (MalformedDataException e)
            {
                throw new CorruptDataException(reader.Path, offset, e.Reason);
            }
            ulong id = Header.TransactionId;
            if (RecordsInSegment == 0 && id != _expectedFirst)
            {
                throw new CorruptDataException(reader.Path, offset, $"the segment's first record has transaction id {id}, its header says {_expectedFirst}");
            }
            if (RecordsInSegment > 0 && id <= LastTransactionId)
            {
                throw new CorruptDataException(reader.Path, offset, $"transaction id {id} does not follow {LastTransactionId}: ids must increase");
            }
            LastTransactionId = id;
            RecordsInSegment++;
            return true;
        }
    }

    /// <summary>Decodes the current record's <paramref name="body"/>; one that cannot be decoded is damage at the record's offset.</summary>
    public LogRecord Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            return LogRecordDecoder.Decode(body);
        }
        catch (MalformedDataException e)
        {
            throw new CorruptDataException(Segment.Path, RecordOffset, $"{e.Reason} (at byte {e.Position} of the record body)");
        }
    }

    public void Dispose() => CloseSegment();

    /// <summary>Why invalid bytes in the last segment are damage rather than a torn tail, for the message.</summary>
    private static string After(TailScanResult scan) => scan.Verdict == TailVerdict.ValidRecordFollows
        ? $"; a valid record follows at byte {scan.ValidOffset}, so this is damage, not a torn tail"
        : $"; the bytes after it look like record frames at so many positions ({scan.Candidates} checked when the scan gave up) that a torn tail cannot be told from damage, so this is treated as damage";

    private bool EndWalk()
    {
        bool readSegment = _next > 0 && Torn is not { Offset: 0 };
        End = readSegment ? new LogEnd(Segment.Path, EndOffset, RecordsInSegment > 0, LastTransactionId) : null;
        return false;
    }

    private bool OpenNextSegment()
    {
        if (_next == _segments.Count) return false;
        var segment = _segments[_next++];
        Segment = segment;
        RecordsInSegment = 0;
        var reader = FrameFileReader.Open(segment.Path, LogFormat.RecordHeaderSize, LogFormat.MaxBodySize, "record");
        try
        {
            if (!SegmentHeader.TryRead(reader.ReadHeader(LogFormat.SegmentHeaderSize), out var header, out string reason))
            {
                if (!IsLastSegment) throw new CorruptDataException(segment.Path, 0, reason);
                var scan = TailScan.AfterHeader(reader, LastTransactionId);
                if (scan.Verdict == TailVerdict.Torn)
                {
                    Torn = new TornTail(segment.Path, 0, reader.FileLength, reason);
                    EndOffset = 0;
                    reader.Dispose();
                    return false;
                }
                throw new CorruptDataException(segment.Path, 0, reason + After(scan));
            }
            if (header.FirstTransactionId != segment.FirstTransactionId)
            {
                throw new CorruptDataException(segment.Path, 0, $"the file is named for transaction {segment.FirstTransactionId} but its header says {header.FirstTransactionId}");
            }
            if (_chainKnown && header.PreviousTransactionId != LastTransactionId)
            {
                throw new CorruptDataException(segment.Path, 0,
                    $"the segment follows transaction {header.PreviousTransactionId}, but the log before it ends at {LastTransactionId}: a segment is missing or was cut short");
            }
            _expectedFirst = header.FirstTransactionId;
            LastTransactionId = header.PreviousTransactionId;
            _chainKnown = true;
            RecordsInSegment = 0;
            EndOffset = LogFormat.SegmentHeaderSize;
            _reader = reader;
            SegmentStarted?.Invoke(segment, header);
            return true;
        }
        catch
        {
            if (_reader != reader) reader.Dispose();
            throw;
        }
    }

    private void CloseSegment()
    {
        _reader?.Dispose();
        _reader = null;
    }
}
