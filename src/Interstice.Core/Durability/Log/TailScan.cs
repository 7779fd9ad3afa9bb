using System.Buffers.Binary;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability.Log;

/// <summary>What <see cref="TailScan"/> found after invalid bytes in the last segment.</summary>
internal enum TailVerdict
{
    /// <summary>No valid record follows: the invalid bytes are a torn tail.</summary>
    Torn,
    /// <summary>A valid record follows: the invalid bytes are damage in the middle of the log.</summary>
    ValidRecordFollows,
    /// <summary>
    /// So many record-like candidates follow that the scan reached a limit
    /// (<see cref="TailScan.MaxPending"/> waiting, or <see cref="TailScan.MaxCandidates"/>
    /// checked): treated as damage, which keeps every byte.
    /// </summary>
    Undecided,
}

/// <summary>What a <see cref="TailScan"/> found.</summary>
/// <param name="Verdict">Torn, damage, or undecided.</param>
/// <param name="ValidOffset">On <see cref="TailVerdict.ValidRecordFollows"/>, where the valid record starts.</param>
/// <param name="Candidates">How many positions looked enough like a record to be checked.</param>
internal readonly record struct TailScanResult(TailVerdict Verdict, long ValidOffset, long Candidates);

/// <summary>
/// Decides whether invalid bytes at the end of the last segment are a torn tail (nothing valid
/// after them) or damage in the middle (a valid record after them), in one pass over the rest
/// of the file, read in chunks.
/// <para>
/// A position is a candidate only when it looks like a later record: a length within bounds
/// whose frame ends within the file, a known record kind and a transaction id above the last
/// valid record's. Random bytes and repeated patterns yield few candidates or none. A
/// candidate's checksum is not computed over its body: the pass keeps the running CRC state
/// (from zero) and notes it where a candidate's body starts and ends; the CRC being linear, the
/// two states give the body's checksum (<see cref="Crc32C.Shift"/>). So the work is one pass
/// plus a little per candidate, however long the candidates are. Candidates whose end is still
/// ahead wait in a queue of at most <see cref="MaxPending"/>, and one scan checks at most
/// <see cref="MaxCandidates"/>; crafted bytes where every position looks like a record reach
/// a limit, and the verdict is then <see cref="TailVerdict.Undecided"/> (treated as damage,
/// which keeps every byte).
/// </para>
/// <para>
/// Every candidate counts, wherever it is: also inside the body the invalid frame declares. A
/// later record there is either the next record hidden by damage to this one (its length and
/// more), or, in a torn record, a client's string that happens to look like a later record (a
/// valid checksum, a known kind and a higher id: crafted bytes, in practice). Taking the first
/// for the second would cut committed records; taking the second for the first only stops the
/// start until <c>log verify --repair</c> decides. So both are damage.
/// </para>
/// </summary>
internal static class TailScan
{
    /// <summary>The most candidates waiting for their end at once (about 32 bytes each).</summary>
    public const int MaxPending = 1 << 20;

    /// <summary>The most candidates one scan checks (a microsecond or so each).</summary>
    public const int MaxCandidates = 1 << 22;

    private const int ChunkSize = 1 << 20;

    /// <summary>Frame header, kind and transaction id: what a position must show to be a candidate.</summary>
    private const int CandidatePrefix = LogFormat.FrameHeaderSize + 1 + sizeof(ulong);

    /// <summary>Scans after an invalid record frame at <paramref name="offset"/>.</summary>
    /// <param name="reader">The last segment.</param>
    /// <param name="offset">Where the invalid frame starts.</param>
    /// <param name="lastTransactionId">The id of the last valid record before <paramref name="offset"/>.</param>
    /// <param name="maxPending">The most candidates waiting at once.</param>
    /// <param name="maxCandidates">The most candidates to check.</param>
    public static TailScanResult AfterRecord(FrameFileReader reader, long offset, ulong lastTransactionId, int maxPending = MaxPending, int maxCandidates = MaxCandidates) =>
        new Scan(reader, lastTransactionId, maxPending, maxCandidates).From(offset + 1);

    /// <summary>Scans after an invalid segment header: from its second byte on.</summary>
    /// <param name="reader">The last segment.</param>
    /// <param name="lastTransactionId">The id of the log's last valid record before this segment (0 when none is known).</param>
    public static TailScanResult AfterHeader(FrameFileReader reader, ulong lastTransactionId) =>
        new Scan(reader, lastTransactionId, MaxPending, MaxCandidates).From(1);

    /// <summary>A candidate waiting for the pass to reach its end.</summary>
    /// <param name="Start">Where its frame starts.</param>
    /// <param name="Length">Its body length.</param>
    /// <param name="Stored">The checksum its frame holds.</param>
    /// <param name="BodyState">The running state where its body starts.</param>
    private readonly record struct Candidate(long Start, uint Length, uint Stored, uint BodyState);

    private sealed class Scan(FrameFileReader reader, ulong lastTransactionId, int maxPending, int maxCandidates)
    {
        private readonly PriorityQueue<Candidate, long> _pending = new();
        private long _candidates;
        private long _found = -1;

        /// <summary>The running CRC state, from zero at the scan's first byte, and the position it has reached.</summary>
        private uint _state;
        private long _statePosition;

        public TailScanResult From(long from)
        {
            long end = reader.FileLength;
            long lastStart = end - LogFormat.FrameHeaderSize - LogFormat.RecordHeaderSize;
            if (from > lastStart) return Result(TailVerdict.Torn);
            var window = new byte[Math.Min(ChunkSize, end - from)];
            _statePosition = from;
            long position = from;
            while (true)
            {
                int count = (int)Math.Min(window.Length, end - position);
                reader.ReadExactly(window.AsSpan(0, count), position);
                var span = window.AsSpan(0, count);
                int last = (int)Math.Min(count - CandidatePrefix, lastStart - position);
                for (int i = 0; i <= last; i++)
                {
                    uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[i..]);
                    if (length == 0)
                    {
                        // A zero-filled tail: skip the run at once (a length field is never zero).
                        int nonZero = span[(i + sizeof(uint))..].IndexOfAnyExcept((byte)0);
                        if (nonZero < 0) break;
                        i += nonZero;
                        continue;
                    }
                    if (length is < LogFormat.RecordHeaderSize or > LogFormat.MaxBodySize) continue;
                    long start = position + i;
                    if (start + LogFormat.FrameHeaderSize + length > end) continue;
                    byte kind = span[i + LogFormat.FrameHeaderSize];
                    if (kind is < (byte)LogRecordKind.Transaction or > (byte)LogRecordKind.ModuleRemoved) continue;
                    if (BinaryPrimitives.ReadUInt64LittleEndian(span[(i + LogFormat.FrameHeaderSize + 1)..]) <= lastTransactionId) continue;

                    AdvanceTo(start, span, position);
                    if (_found >= 0) return Result(TailVerdict.ValidRecordFollows);
                    if (_candidates == maxCandidates || _pending.Count == maxPending) return Result(TailVerdict.Undecided);
                    _candidates++;
                    uint bodyState = AdvanceTo(start + LogFormat.FrameHeaderSize, span, position);
                    if (_found >= 0) return Result(TailVerdict.ValidRecordFollows);
                    var candidate = new Candidate(start, length, BinaryPrimitives.ReadUInt32LittleEndian(span[(i + sizeof(uint))..]), bodyState);
                    _pending.Enqueue(candidate, start + LogFormat.FrameHeaderSize + length);
                }
                bool final = position + count == end;
                AdvanceTo(final ? end : position + last + 1, span, position);
                if (_found >= 0) return Result(TailVerdict.ValidRecordFollows);
                if (final || position + last + 1 > lastStart) break;
                // The next window starts at the first position this one could not judge.
                position += last + 1;
            }
            // The last window can stop a few bytes short of the end, where pending candidates may end.
            if (_pending.Count > 0) FinishAtEnd(window);
            return Result(_found >= 0 ? TailVerdict.ValidRecordFollows : TailVerdict.Torn);
        }

        private TailScanResult Result(TailVerdict verdict) => new(verdict, _found, _candidates);

        /// <summary>
        /// Moves the running state to <paramref name="target"/> (within <paramref name="span"/>, which
        /// starts at file offset <paramref name="spanOffset"/>), checking on the way every pending
        /// candidate that ends there; returns the state at <paramref name="target"/>.
        /// </summary>
        private uint AdvanceTo(long target, ReadOnlySpan<byte> span, long spanOffset)
        {
            while (_pending.TryPeek(out var candidate, out long candidateEnd) && candidateEnd <= target)
            {
                Feed(candidateEnd, span, spanOffset);
                _pending.Dequeue();
                if (_found < 0 && FrameChecksum(candidate.Length, candidate.BodyState, _state) == candidate.Stored) _found = candidate.Start;
            }
            if (target > _statePosition) Feed(target, span, spanOffset);
            return _state;
        }

        private void Feed(long target, ReadOnlySpan<byte> span, long spanOffset)
        {
            // Only differences between noted states matter: with no candidate pending, skip ahead.
            _state = _pending.Count == 0
                ? 0
                : Crc32C.Update(_state, span[(int)(_statePosition - spanOffset)..(int)(target - spanOffset)]);
            _statePosition = target;
        }

        /// <summary>
        /// The checksum of a frame whose body of <paramref name="length"/> bytes starts where the
        /// running state was <paramref name="bodyState"/> and ends where it was
        /// <paramref name="endState"/>: the length field's state carried over the body, combined
        /// with what the body added.
        /// </summary>
        private static uint FrameChecksum(uint length, uint bodyState, uint endState)
        {
            Span<byte> lengthField = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(lengthField, length);
            uint afterLength = Crc32C.Update(~0u, lengthField);
            return ~(Crc32C.Shift(afterLength ^ bodyState, length) ^ endState);
        }

        /// <summary>Feeds the last bytes of the file (fewer than a frame, after the last window's judged positions) to settle the candidates still pending.</summary>
        private void FinishAtEnd(byte[] window)
        {
            long end = reader.FileLength;
            int count = (int)(end - _statePosition);
            long from = _statePosition;
            reader.ReadExactly(window.AsSpan(0, count), from);
            AdvanceTo(end, window.AsSpan(0, count), from);
        }
    }
}
