using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// Records appended since the writer last took a batch: their frames back to back, the ticket
/// of the last one, and where in the bytes a new segment must begin (with its header). The
/// log keeps two and swaps them, so appending never waits for a write in progress.
/// </summary>
internal sealed class LogBatch
{
    private const int InitialSize = 1 << 20;

    public byte[] Buffer { get; private set; } = new byte[InitialSize];

    public int Length { get; set; }

    /// <summary>The ticket of the last record in the batch.</summary>
    public long LastTicket { get; set; }

    /// <summary>Where new segments start, in order.</summary>
    public List<SegmentStart> SegmentStarts { get; } = [];

    public bool IsEmpty => Length == 0;

    /// <summary>Room for <paramref name="size"/> more bytes at <see cref="Length"/>, growing the buffer if needed.</summary>
    public Span<byte> Reserve(int size)
    {
        if (Buffer.Length - Length < size)
        {
            long wanted = Math.Max((long)Length + size, (long)Buffer.Length * 2);
            var grown = new byte[(int)Math.Min(wanted, Array.MaxLength)];
            Buffer.AsSpan(0, Length).CopyTo(grown);
            Buffer = grown;
        }
        var span = Buffer.AsSpan(Length, size);
        Length += size;
        return span;
    }

    public void Reset()
    {
        Length = 0;
        SegmentStarts.Clear();
        // A huge record grew the buffer; do not keep the memory for ever.
        if (Buffer.Length > 4 * InitialSize) Buffer = new byte[InitialSize];
    }
}

/// <summary>A new segment starts at <paramref name="Offset"/> of a batch.</summary>
internal readonly record struct SegmentStart(int Offset, SegmentHeader Header);
