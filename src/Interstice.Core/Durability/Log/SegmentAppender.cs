using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.IO;
using Microsoft.Win32.SafeHandles;

namespace Interstice.Core.Durability.Log;

/// <summary>The segment the log appends to: positioned writes at its end, and fsync.</summary>
internal sealed class SegmentAppender : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly LogFileHooks? _hooks;

    private SegmentAppender(string path, SafeFileHandle handle, long length, LogFileHooks? hooks)
    {
        Path = path;
        _handle = handle;
        Length = length;
        _hooks = hooks;
    }

    public string Path { get; }

    /// <summary>Bytes in the file: where the next append goes.</summary>
    public long Length { get; private set; }

    /// <summary>Creates a segment holding only its header (not yet synced; the caller syncs the directory).</summary>
    public static SegmentAppender Create(string path, SegmentHeader header, LogFileHooks? hooks)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var appender = new SegmentAppender(path, handle, 0, hooks);
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

    /// <summary>Opens an existing segment to append after its last valid record, at <paramref name="length"/>.</summary>
    public static SegmentAppender Open(string path, long length, LogFileHooks? hooks)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            if (RandomAccess.GetLength(handle) != length)
            {
                throw new InvalidOperationException($"{path} is {RandomAccess.GetLength(handle)} bytes long, not {length}: truncate its torn tail before appending");
            }
            return new SegmentAppender(path, handle, length, hooks);
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
    }

    public void Sync()
    {
        _hooks?.BeforeSync(Path);
        FileSync.File(_handle);
        _hooks?.AfterSync(Path);
    }

    public void Dispose() => _handle.Dispose();
}
