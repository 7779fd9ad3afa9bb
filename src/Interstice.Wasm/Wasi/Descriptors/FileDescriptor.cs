using Interstice.Wasm.Wasi.Abi;
using Microsoft.Win32.SafeHandles;

namespace Interstice.Wasm.Wasi.Descriptors;

/// <summary>
/// An open regular file. Reads and writes go through <see cref="RandomAccess"/> at a position
/// kept here, so that positioned and sequential access share one handle without buffering surprises.
/// </summary>
internal sealed class FileDescriptor(SafeFileHandle handle, Rights rightsBase, Rights rightsInheriting) : Descriptor(rightsBase, rightsInheriting)
{
    private long _position;

    public SafeFileHandle Handle { get; } = handle;

    public override FileType Type => FileType.RegularFile;

    public override Errno Read(Span<byte> buffer, out int count)
    {
        count = RandomAccess.Read(Handle, buffer, _position);
        _position += count;
        return Errno.Success;
    }

    public override Errno Write(ReadOnlySpan<byte> buffer, out int count)
    {
        if ((Flags & DescriptorFlags.Append) != 0) _position = RandomAccess.GetLength(Handle);
        RandomAccess.Write(Handle, buffer, _position);
        _position += buffer.Length;
        count = buffer.Length;
        return Errno.Success;
    }

    public override Errno ReadAt(Span<byte> buffer, ulong offset, out int count)
    {
        count = 0;
        if (offset > long.MaxValue) return Errno.Invalid;
        count = RandomAccess.Read(Handle, buffer, (long)offset);
        return Errno.Success;
    }

    public override Errno WriteAt(ReadOnlySpan<byte> buffer, ulong offset, out int count)
    {
        count = 0;
        if (offset > long.MaxValue - (ulong)buffer.Length) return Errno.FileTooBig;
        RandomAccess.Write(Handle, buffer, (long)offset);
        count = buffer.Length;
        return Errno.Success;
    }

    public override Errno Seek(long offset, Whence whence, out ulong position)
    {
        position = 0;
        long origin = whence switch
        {
            Whence.Set => 0,
            Whence.Current => _position,
            Whence.End => RandomAccess.GetLength(Handle),
            _ => -1,
        };
        if (origin < 0) return Errno.Invalid;
        if (offset > 0 && origin > long.MaxValue - offset) return Errno.Overflow;
        long target = origin + offset;
        if (target < 0) return Errno.Invalid;
        _position = target;
        position = (ulong)target;
        return Errno.Success;
    }

    public ulong Position => (ulong)_position;

    public override Filestat GetFilestat() => new(
        FileType.RegularFile,
        (ulong)RandomAccess.GetLength(Handle),
        1,
        Filestat.ToNanoseconds(File.GetLastAccessTimeUtc(Handle)),
        Filestat.ToNanoseconds(File.GetLastWriteTimeUtc(Handle)),
        Filestat.ToNanoseconds(File.GetLastWriteTimeUtc(Handle)));

    public override void Dispose() => Handle.Dispose();
}
