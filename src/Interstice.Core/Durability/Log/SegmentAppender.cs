using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Microsoft.Win32.SafeHandles;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// The segment the log appends to: positioned writes at its end, and fsync.
/// <para>
/// <b>Zeros ahead.</b> When commits are synced, the appender keeps the file
/// <see cref="ZeroedAhead"/> bytes longer than its records, filled with zeros, and syncs with
/// fdatasync (<see cref="FileSync.Data"/>). A record then lands in space the file already has:
/// the sync that makes it durable flushes its data and nothing else, where a sync after a write
/// that grows the file must also commit the new length through the file system's journal. Only
/// every <see cref="ZeroedAhead"/> bytes does a sync also carry the file's growth. Readers stop
/// at the zeros (<see cref="LogCursor"/>); <see cref="CutZeros"/> cuts them off when the segment is done.
/// </para>
/// </summary>
internal sealed class SegmentAppender : IDisposable
{
    /// <summary>How far the zeros reach beyond the records, at most; they are written this much at a time.</summary>
    public const int ZeroedAhead = 1 << 20;

    private static readonly byte[] Zeros = new byte[ZeroedAhead];

    private readonly SafeFileHandle _handle;
    private readonly LogFileHooks? _hooks;
    private readonly bool _zeroAhead;
    /// <summary>The file's length: the records end at <see cref="Length"/>, zeros fill the rest.</summary>
    private long _fileLength;

    private SegmentAppender(string path, SafeFileHandle handle, long length, long fileLength, bool zeroAhead, LogFileHooks? hooks)
    {
        Path = path;
        _handle = handle;
        Length = length;
        _fileLength = fileLength;
        _zeroAhead = zeroAhead;
        _hooks = hooks;
    }

    public string Path { get; }

    /// <summary>Bytes of records (and the header) in the file: where the next append goes.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Creates a segment holding only its header (not yet synced; the caller syncs the
    /// directory), with zeros after it when <paramref name="zeroAhead"/> (commits are synced).
    /// </summary>
    public static SegmentAppender Create(string path, SegmentHeader header, bool zeroAhead, LogFileHooks? hooks)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var appender = new SegmentAppender(path, handle, 0, 0, zeroAhead, hooks);
        try
        {
            Span<byte> bytes = stackalloc byte[LogFormat.SegmentHeaderSize];
            header.Write(bytes);
            appender.Append(bytes);
            return appender;
        }
        catch
        {
            appender.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing segment to append after its last valid record, at
    /// <paramref name="length"/>; whatever follows it must be zeros (a reader found the log's
    /// end there: see <see cref="LogCursor"/>).
    /// </summary>
    public static SegmentAppender Open(string path, long length, bool zeroAhead, LogFileHooks? hooks)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < length)
            {
                throw new InvalidOperationException($"{path} is {fileLength} bytes long, shorter than its records' end at {length}");
            }
            return new SegmentAppender(path, handle, length, fileLength, zeroAhead, hooks);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        _hooks?.BeforeWrite(Path, Length, data.Length);
        RandomAccess.Write(_handle, data, Length);
        Length += data.Length;
        if (Length > _fileLength) _fileLength = Length;
        if (_zeroAhead && _fileLength - Length < ZeroedAhead / 2)
        {
            // Before the zeros run out: the sync after the next records then grows the file once, not each time.
            RandomAccess.Write(_handle, Zeros, _fileLength);
            _fileLength += Zeros.Length;
        }
    }

    /// <summary>Makes the appended records durable (their data; with zeros ahead, the file's length already is).</summary>
    public void Sync()
    {
        _hooks?.BeforeSync(Path);
        FileSync.Data(_handle);
        _hooks?.AfterSync(Path);
    }

    /// <summary>
    /// Cuts off the zeros after the records and syncs the file whole (its new length too), so
    /// that a segment the log moves on from, or closes, ends with its last record. Nothing to
    /// do when there are no zeros.
    /// </summary>
    public void CutZeros()
    {
        if (_fileLength == Length) return;
        RandomAccess.SetLength(_handle, Length);
        _fileLength = Length;
        _hooks?.BeforeSync(Path);
        FileSync.File(_handle);
        _hooks?.AfterSync(Path);
    }

    public void Dispose() => _handle.Dispose();
}
