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
    /// So many record-like candidates follow that checking them all would exceed
    /// <see cref="TailScan.ChecksumBudget"/>: treated as damage, which keeps every byte.
    /// </summary>
    Undecided,
}

/// <summary>What a <see cref="TailScan"/> found, and the checksum work it did.</summary>
/// <param name="Verdict">Torn, damage, or undecided.</param>
/// <param name="ValidOffset">On <see cref="TailVerdict.ValidRecordFollows"/>, where the valid record starts.</param>
/// <param name="ChecksummedBytes">How many bytes the scan checksummed.</param>
internal readonly record struct TailScanResult(TailVerdict Verdict, long ValidOffset, long ChecksummedBytes);

/// <summary>
/// Decides whether invalid bytes at the end of the last segment are a torn tail (nothing valid
/// after them) or damage in the middle (a valid record after them), in bounded time and memory.
/// The bytes after are read in chunks; a position is checksummed only when it looks like a
/// record: a length within bounds whose frame ends within the file, a known record kind and a
/// transaction id above the last valid record's. So random bytes and repeated patterns cost one
/// pass, not a checksum per byte; the checksum work of one scan is capped all the same (crafted
/// bytes can make every position look like a record).
/// <para>
/// When the invalid frame's length is within bounds, the bytes it declares as its body may be
/// a torn record's own contents, where a client's string can look like a frame. A candidate
/// there counts only when the invalid frame checks out with its length corrected to end at the
/// candidate (the damage was in the length field alone); candidates from the declared end on
/// count as they are.
/// </para>
/// </summary>
internal static class TailScan
{
    /// <summary>The most bytes one scan checksums; past it the verdict is <see cref="TailVerdict.Undecided"/>.</summary>
    public const long ChecksumBudget = 4L << 30;

    private const int ChunkSize = 1 << 20;

    /// <summary>Frame header, kind and transaction id: what a position must show to be a candidate.</summary>
    private const int CandidatePrefix = LogFormat.FrameHeaderSize + 1 + sizeof(ulong);

    /// <summary>Scans after an invalid record frame at <paramref name="offset"/>.</summary>
    /// <param name="reader">The last segment.</param>
    /// <param name="offset">Where the invalid frame starts.</param>
    /// <param name="lastTransactionId">The id of the last valid record before <paramref name="offset"/>.</param>
    /// <param name="budget">The most bytes to checksum.</param>
    public static TailScanResult AfterRecord(FrameFileReader reader, long offset, ulong lastTransactionId, long budget = ChecksumBudget)
    {
        Span<byte> header = stackalloc byte[LogFormat.FrameHeaderSize];
        if (offset + header.Length > reader.FileLength) return new TailScanResult(TailVerdict.Torn, -1, 0);
        reader.ReadExactly(header, offset);
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var scan = new Scan(reader, lastTransactionId, budget);
        if (declared is >= LogFormat.RecordHeaderSize and <= LogFormat.MaxBodySize)
        {
            scan.InvalidFrame = offset;
            scan.InvalidChecksum = BinaryPrimitives.ReadUInt32LittleEndian(header[sizeof(uint)..]);
            scan.DeclaredEnd = offset + LogFormat.FrameHeaderSize + declared;
        }
        return scan.From(offset + 1);
    }

    /// <summary>Scans after an invalid segment header: from its second byte on.</summary>
    /// <param name="reader">The last segment.</param>
    /// <param name="lastTransactionId">The id of the log's last valid record before this segment (0 when none is known).</param>
    /// <param name="budget">The most bytes to checksum.</param>
    public static TailScanResult AfterHeader(FrameFileReader reader, ulong lastTransactionId, long budget = ChecksumBudget) =>
        new Scan(reader, lastTransactionId, budget).From(1);

    private sealed class Scan(FrameFileReader reader, ulong lastTransactionId, long budget)
    {
        private byte[]? _chunk;
        private long _spent;

        /// <summary>Where the invalid frame starts, when its length is within bounds (-1 otherwise).</summary>
        public long InvalidFrame { get; set; } = -1;

        public uint InvalidChecksum { get; set; }

        /// <summary>Where the invalid frame says it ends: candidates before it are inside its declared body.</summary>
        public long DeclaredEnd { get; set; } = -1;

        public TailScanResult From(long from)
        {
            long end = reader.FileLength;
            long lastStart = end - LogFormat.FrameHeaderSize - LogFormat.RecordHeaderSize;
            if (from > lastStart) return Result(TailVerdict.Torn, -1);
            var window = new byte[Math.Min(ChunkSize, end - from)];
            long position = from;
            while (position <= lastStart)
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
                        int nonZero = span[i..].IndexOfAnyExcept((byte)0);
                        if (nonZero < 0) break;
                        i += Math.Max(0, nonZero - 4);
                        continue;
                    }
                    if (length is < LogFormat.RecordHeaderSize or > LogFormat.MaxBodySize) continue;
                    long start = position + i;
                    if (start + LogFormat.FrameHeaderSize + length > end) continue;
                    byte kind = span[i + LogFormat.FrameHeaderSize];
                    if (kind is < (byte)LogRecordKind.Transaction or > (byte)LogRecordKind.ModuleRemoved) continue;
                    if (BinaryPrimitives.ReadUInt64LittleEndian(span[(i + LogFormat.FrameHeaderSize + 1)..]) <= lastTransactionId) continue;

                    if (start < DeclaredEnd)
                    {
                        long corrected = start - InvalidFrame - LogFormat.FrameHeaderSize;
                        if (corrected < LogFormat.RecordHeaderSize) continue;
                        if (!Spend(corrected)) return Result(TailVerdict.Undecided, -1);
                        if (!ChecksumMatches((uint)corrected, InvalidFrame + LogFormat.FrameHeaderSize, InvalidChecksum)) continue;
                    }
                    if (!Spend(length)) return Result(TailVerdict.Undecided, -1);
                    if (ChecksumMatches(length, start + LogFormat.FrameHeaderSize, BinaryPrimitives.ReadUInt32LittleEndian(span[(i + sizeof(uint))..])))
                    {
                        return Result(TailVerdict.ValidRecordFollows, start);
                    }
                }
                // The next window starts at the first position this one could not judge.
                position += last + 1;
            }
            return Result(TailVerdict.Torn, -1);
        }

        private TailScanResult Result(TailVerdict verdict, long validOffset) => new(verdict, validOffset, _spent);

        private bool Spend(long bytes)
        {
            if (_spent + bytes > budget) return false;
            _spent += bytes;
            return true;
        }

        /// <summary>Whether the frame checksum over <paramref name="length"/> and the body of that length at <paramref name="bodyOffset"/> is <paramref name="stored"/>; reads the body chunk by chunk.</summary>
        private bool ChecksumMatches(uint length, long bodyOffset, uint stored)
        {
            Span<byte> lengthField = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(lengthField, length);
            uint state = Crc32C.Update(~0u, lengthField);
            _chunk ??= new byte[ChunkSize];
            long remaining = length;
            long at = bodyOffset;
            while (remaining > 0)
            {
                int count = (int)Math.Min(_chunk.Length, remaining);
                reader.ReadExactly(_chunk.AsSpan(0, count), at);
                state = Crc32C.Update(state, _chunk.AsSpan(0, count));
                at += count;
                remaining -= count;
            }
            return ~state == stored;
        }
    }
}
