using System.Buffers.Binary;
using Interstice.Core.Durability.Format;
using Microsoft.Win32.SafeHandles;

namespace Interstice.Core.Durability.IO;

/// <summary>What <see cref="FrameFileReader.Next"/> found.</summary>
internal enum ReadResult
{
    /// <summary>A frame whose length and checksum are valid.</summary>
    Frame,
    /// <summary>The end of the file, right after the last frame.</summary>
    End,
    /// <summary>Bytes that are not a valid frame: a torn tail or damage (the caller decides which).</summary>
    Invalid,
}

/// <summary>
/// Reads a file of checksummed frames (a log segment, a snapshot) front to back through a large
/// buffer: a fixed-size header first, then one frame after another (see <see cref="RecordFrame"/>).
/// A body that a call returns is valid until the next call.
/// </summary>
internal sealed class FrameFileReader : IDisposable
{
    private const int InitialBufferSize = 1 << 20;

    private readonly SafeFileHandle _handle;
    private readonly int _minBody;
    private readonly int _maxBody;
    private readonly string _noun;
    private byte[] _buffer = new byte[InitialBufferSize];
    /// <summary>File offset of <c>_buffer[0]</c>.</summary>
    private long _bufferOffset;
    private int _start;
    private int _end;

    private FrameFileReader(string path, SafeFileHandle handle, int minBody, int maxBody, string noun)
    {
        _noun = noun;
        Path = path;
        _handle = handle;
        _minBody = minBody;
        _maxBody = maxBody;
        FileLength = RandomAccess.GetLength(handle);
    }

    public string Path { get; }

    /// <summary>The file's length when it was opened (bytes appended later are not read).</summary>
    public long FileLength { get; }

    /// <summary>The file offset of the next frame.</summary>
    public long Offset => _bufferOffset + _start;

    /// <param name="path">The file.</param>
    /// <param name="minBody">The smallest valid body; shorter length fields are invalid.</param>
    /// <param name="maxBody">The largest valid body.</param>
    /// <param name="noun">What a frame is called in messages: <c>record</c>, <c>block</c>.</param>
    public static FrameFileReader Open(string path, int minBody, int maxBody, string noun)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        try
        {
            return new FrameFileReader(path, handle, minBody, maxBody, noun);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the file's header of <paramref name="size"/> bytes (fewer when the file is
    /// shorter). Call once, first; frames follow the header.
    /// </summary>
    public ReadOnlySpan<byte> ReadHeader(int size)
    {
        Fill(size);
        var header = _buffer.AsSpan(_start, Math.Min(size, _end - _start));
        _start += header.Length;
        return header;
    }

    /// <summary>
    /// Reads the frame at <see cref="Offset"/>. On <see cref="ReadResult.Frame"/>,
    /// <paramref name="body"/> is its body and the reader moves past it; on
    /// <see cref="ReadResult.Invalid"/>, <paramref name="reason"/> says why and the reader stays.
    /// </summary>
    public ReadResult Next(out ReadOnlySpan<byte> body, out string reason)
    {
        body = default;
        Fill(LogFormat.FrameHeaderSize);
        if (_start == _end)
        {
            reason = "";
            return ReadResult.End;
        }
        var status = RecordFrame.Check(_buffer.AsSpan(_start, _end - _start), _minBody, _maxBody, out int length, out reason, _noun);
        if (status == FrameStatus.Incomplete && _end - _start >= LogFormat.FrameHeaderSize)
        {
            // The length is plausible; the body may just not be buffered yet.
            Fill(LogFormat.FrameHeaderSize + BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start)));
            status = RecordFrame.Check(_buffer.AsSpan(_start, _end - _start), _minBody, _maxBody, out length, out reason, _noun);
        }
        if (status != FrameStatus.Valid) return ReadResult.Invalid;
        body = _buffer.AsSpan(_start + LogFormat.FrameHeaderSize, length);
        _start += LogFormat.FrameHeaderSize + length;
        return ReadResult.Frame;
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Makes at least <paramref name="count"/> bytes available from <c>_start</c>, or all that is left of the file.</summary>
    private void Fill(int count)
    {
        if (_end - _start >= count) return;
        long fileRemaining = FileLength - (_bufferOffset + _end);
        if (fileRemaining <= 0) return;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        long wanted = Math.Min((long)count, _end + fileRemaining);
        if (wanted > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Math.Max(wanted, (long)_buffer.Length * 2), Array.MaxLength));
        }
        while (_end < _buffer.Length && _bufferOffset + _end < FileLength && _end - _start < count)
        {
            int want = (int)Math.Min(_buffer.Length - _end, FileLength - (_bufferOffset + _end));
            int read = RandomAccess.Read(_handle, _buffer.AsSpan(_end, want), _bufferOffset + _end);
            if (read == 0) break;
            _end += read;
        }
    }

    /// <summary>Moves the reader to <paramref name="offset"/>: the next frame is read from there.</summary>
    public void MoveTo(long offset)
    {
        _bufferOffset = offset;
        _start = 0;
        _end = 0;
    }

    /// <summary>Reads <paramref name="destination"/>'s length of bytes at <paramref name="offset"/>, without moving the reader.</summary>
    public void ReadExactly(Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0) throw new EndOfStreamException($"{Path} became shorter while it was read");
            destination = destination[read..];
            offset += read;
        }
    }
}
