using System.Buffers.Binary;
using System.Text;
using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Descriptors;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary><c>fd_*</c>: reading, writing, seeking and inspecting open descriptors.</summary>
internal sealed partial class WasiFunctions
{
    private delegate Errno Transfer(Descriptor descriptor, Span<byte> buffer, out int count);

    private void DefineFd(Linker linker)
    {
        Define(linker, "fd_advise", (Func<Caller, int, long, long, int, int>)FdAdvise);
        Define(linker, "fd_allocate", (Func<Caller, int, long, long, int>)FdAllocate);
        Define(linker, "fd_close", (Func<Caller, int, int>)((_, fd) => Guard(() => Descriptors.Close(fd))));
        Define(linker, "fd_datasync", (Func<Caller, int, int>)((_, fd) => FdSync(fd, Rights.FdDatasync)));
        Define(linker, "fd_sync", (Func<Caller, int, int>)((_, fd) => FdSync(fd, Rights.FdSync)));
        Define(linker, "fd_fdstat_get", (Func<Caller, int, int, int>)FdFdstatGet);
        Define(linker, "fd_fdstat_set_flags", (Func<Caller, int, int, int>)FdFdstatSetFlags);
        Define(linker, "fd_fdstat_set_rights", (Func<Caller, int, long, long, int>)FdFdstatSetRights);
        Define(linker, "fd_filestat_get", (Func<Caller, int, int, int>)FdFilestatGet);
        Define(linker, "fd_filestat_set_size", (Func<Caller, int, long, int>)FdFilestatSetSize);
        Define(linker, "fd_filestat_set_times", (Func<Caller, int, long, long, int, int>)FdFilestatSetTimes);
        Define(linker, "fd_pread", (Func<Caller, int, int, int, long, int, int>)FdPread);
        Define(linker, "fd_pwrite", (Func<Caller, int, int, int, long, int, int>)FdPwrite);
        Define(linker, "fd_prestat_get", (Func<Caller, int, int, int>)FdPrestatGet);
        Define(linker, "fd_prestat_dir_name", (Func<Caller, int, int, int, int>)FdPrestatDirName);
        Define(linker, "fd_read", (Func<Caller, int, int, int, int, int>)FdRead);
        Define(linker, "fd_readdir", (Func<Caller, int, int, int, long, int, int>)FdReaddir);
        Define(linker, "fd_renumber", (Func<Caller, int, int, int>)((_, from, to) => Guard(() => Descriptors.Renumber(from, to))));
        Define(linker, "fd_seek", (Func<Caller, int, long, int, int, int>)FdSeek);
        Define(linker, "fd_tell", (Func<Caller, int, int, int>)FdTell);
        Define(linker, "fd_write", (Func<Caller, int, int, int, int, int>)FdWrite);
    }

    private int FdRead(Caller caller, int fd, int iovs, int iovsCount, int readOut)
    {
        var status = Lookup(fd, Rights.FdRead, out var descriptor);
        if (status != Errno.Success) return (int)status;
        return TransferVectors(caller, descriptor, iovs, iovsCount, readOut, static (Descriptor d, Span<byte> buffer, out int count) => d.Read(buffer, out count));
    }

    private int FdWrite(Caller caller, int fd, int iovs, int iovsCount, int writtenOut)
    {
        var status = Lookup(fd, Rights.FdWrite, out var descriptor);
        if (status != Errno.Success) return (int)status;
        return TransferVectors(caller, descriptor, iovs, iovsCount, writtenOut, static (Descriptor d, Span<byte> buffer, out int count) => d.Write(buffer, out count));
    }

    private int FdPread(Caller caller, int fd, int iovs, int iovsCount, long offset, int readOut)
    {
        var status = Lookup(fd, Rights.FdRead | Rights.FdSeek, out var descriptor);
        if (status != Errno.Success) return (int)status;
        ulong position = (ulong)offset;
        return TransferVectors(caller, descriptor, iovs, iovsCount, readOut, (Descriptor d, Span<byte> buffer, out int count) =>
        {
            var result = d.ReadAt(buffer, position, out count);
            position += (ulong)count;
            return result;
        });
    }

    private int FdPwrite(Caller caller, int fd, int iovs, int iovsCount, long offset, int writtenOut)
    {
        var status = Lookup(fd, Rights.FdWrite | Rights.FdSeek, out var descriptor);
        if (status != Errno.Success) return (int)status;
        ulong position = (ulong)offset;
        return TransferVectors(caller, descriptor, iovs, iovsCount, writtenOut, (Descriptor d, Span<byte> buffer, out int count) =>
        {
            var result = d.WriteAt(buffer, position, out count);
            position += (ulong)count;
            return result;
        });
    }

    /// <summary>
    /// Reads or writes through an array of <c>iovec</c>s, in order, stopping at the first short
    /// transfer (end of file); stores the total at <paramref name="totalOut"/>. Every buffer is
    /// checked against memory before anything is transferred.
    /// </summary>
    private static int TransferVectors(Caller caller, Descriptor descriptor, int iovs, int iovsCount, int totalOut, Transfer transfer)
    {
        var memory = MemoryOf(caller);
        if (!memory.TryGetSpan(iovs, (uint)iovsCount * (ulong)Layouts.IovecSize, out var vectors))
            return (int)Errno.Fault;
        for (int i = 0; i < iovsCount; i++)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(vectors[(i * Layouts.IovecSize + 4)..]);
            if (!memory.TryGetSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(vectors[(i * Layouts.IovecSize)..]), length, out _)) return (int)Errno.Fault;
        }
        if (!memory.TryGetSpan(totalOut, 4, out _)) return (int)Errno.Fault;

        try
        {
            uint total = 0;
            for (int i = 0; i < iovsCount; i++)
            {
                uint address = BinaryPrimitives.ReadUInt32LittleEndian(vectors[(i * Layouts.IovecSize)..]);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(vectors[(i * Layouts.IovecSize + 4)..]);
                if (length == 0) continue;
                memory.TryGetSpan((int)address, length, out var buffer);
                var status = transfer(descriptor, buffer, out int count);
                if (status != Errno.Success)
                {
                    if (total > 0) break;
                    return (int)status;
                }
                total += (uint)count;
                if (count < buffer.Length) break;
            }
            memory.TryWriteUInt32(totalOut, total);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }

    private int FdSeek(Caller caller, int fd, long offset, int whence, int positionOut)
    {
        var descriptor = Descriptors.Get(fd);
        if (descriptor is null) return (int)Errno.BadDescriptor;
        if (descriptor is FileDescriptor && !descriptor.Can(Rights.FdSeek)
            && !(offset == 0 && whence == (int)Whence.Current && descriptor.Can(Rights.FdTell)))
            return (int)Errno.NotCapable;
        if ((uint)whence > (uint)Whence.End) return (int)Errno.Invalid;
        var memory = MemoryOf(caller);
        if (!memory.TryGetSpan(positionOut, 8, out _)) return (int)Errno.Fault;
        return Guard(() =>
        {
            var status = descriptor.Seek(offset, (Whence)whence, out ulong position);
            if (status == Errno.Success) memory.TryWriteUInt64(positionOut, position);
            return status;
        });
    }

    private int FdTell(Caller caller, int fd, int positionOut)
    {
        var status = Lookup(fd, Rights.FdTell, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if (descriptor is not FileDescriptor file) return (int)Errno.InvalidSeek;
        return MemoryOf(caller).TryWriteUInt64(positionOut, file.Position) ? (int)Errno.Success : (int)Errno.Fault;
    }

    private int FdSync(int fd, Rights right)
    {
        var status = Lookup(fd, right, out var descriptor);
        if (status != Errno.Success) return (int)status;
        return Guard(() =>
        {
            if (descriptor is FileDescriptor file) RandomAccess.FlushToDisk(file.Handle);
            return Errno.Success;
        });
    }

    private int FdAdvise(Caller caller, int fd, long offset, long length, int advice)
    {
        var status = Lookup(fd, Rights.FdAdvise, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if ((uint)advice > 5 || offset < 0 || length < 0) return (int)Errno.Invalid;
        // Advice is a hint; the host's caches decide on their own.
        return descriptor is FileDescriptor ? (int)Errno.Success : (int)Errno.BadDescriptor;
    }

    private int FdAllocate(Caller caller, int fd, long offset, long length)
    {
        var status = Lookup(fd, Rights.FdAllocate, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if (descriptor is not FileDescriptor file) return (int)Errno.BadDescriptor;
        if (offset < 0 || length < 0 || offset > long.MaxValue - length) return (int)Errno.Invalid;
        return Guard(() =>
        {
            if (RandomAccess.GetLength(file.Handle) < offset + length) RandomAccess.SetLength(file.Handle, offset + length);
            return Errno.Success;
        });
    }

    private int FdFdstatGet(Caller caller, int fd, int fdstatOut)
    {
        var descriptor = Descriptors.Get(fd);
        if (descriptor is null) return (int)Errno.BadDescriptor;
        if (!MemoryOf(caller).TryGetSpan(fdstatOut, Layouts.FdstatSize, out var fdstat)) return (int)Errno.Fault;
        fdstat.Clear();
        fdstat[0] = (byte)descriptor.Type;
        BinaryPrimitives.WriteUInt16LittleEndian(fdstat[2..], (ushort)descriptor.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(fdstat[8..], (ulong)descriptor.RightsBase);
        BinaryPrimitives.WriteUInt64LittleEndian(fdstat[16..], (ulong)descriptor.RightsInheriting);
        return (int)Errno.Success;
    }

    private int FdFdstatSetFlags(Caller caller, int fd, int flags)
    {
        var status = Lookup(fd, Rights.FdFdstatSetFlags, out var descriptor);
        if (status != Errno.Success) return (int)status;
        // Only append and non-blocking can change after opening; the sync flags cannot be honoured later.
        const DescriptorFlags changeable = DescriptorFlags.Append | DescriptorFlags.NonBlocking;
        if ((flags & ~(int)changeable) != 0) return (int)Errno.NotSupported;
        descriptor.Flags = (DescriptorFlags)flags;
        return (int)Errno.Success;
    }

    private int FdFdstatSetRights(Caller caller, int fd, long rightsBase, long rightsInheriting)
    {
        var descriptor = Descriptors.Get(fd);
        if (descriptor is null) return (int)Errno.BadDescriptor;
        var newBase = (Rights)rightsBase;
        var newInheriting = (Rights)rightsInheriting;
        // Rights can only be dropped, never gained.
        if ((newBase & ~descriptor.RightsBase) != 0 || (newInheriting & ~descriptor.RightsInheriting) != 0) return (int)Errno.NotCapable;
        descriptor.RightsBase = newBase;
        descriptor.RightsInheriting = newInheriting;
        return (int)Errno.Success;
    }

    private int FdFilestatGet(Caller caller, int fd, int filestatOut)
    {
        var status = Lookup(fd, Rights.FdFilestatGet, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if (!MemoryOf(caller).TryGetSpan(filestatOut, Layouts.FilestatSize, out var destination)) return (int)Errno.Fault;
        try
        {
            descriptor.GetFilestat().WriteTo(destination);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }

    private int FdFilestatSetSize(Caller caller, int fd, long size)
    {
        var status = Lookup(fd, Rights.FdFilestatSetSize, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if (descriptor is not FileDescriptor file) return (int)Errno.BadDescriptor;
        if (size < 0) return (int)Errno.Invalid;
        return Guard(() =>
        {
            RandomAccess.SetLength(file.Handle, size);
            return Errno.Success;
        });
    }

    private int FdFilestatSetTimes(Caller caller, int fd, long accessTime, long modificationTime, int flags)
    {
        var status = Lookup(fd, Rights.FdFilestatSetTimes, out var descriptor);
        if (status != Errno.Success) return (int)status;
        return descriptor switch
        {
            FileDescriptor file => Guard(() => SetTimes(flags, (ulong)accessTime, (ulong)modificationTime,
                t => File.SetLastAccessTimeUtc(file.Handle, t), t => File.SetLastWriteTimeUtc(file.Handle, t))),
            DirectoryDescriptor directory => Guard(() => SetTimes(flags, (ulong)accessTime, (ulong)modificationTime,
                t => Directory.SetLastAccessTimeUtc(directory.HostPath, t), t => Directory.SetLastWriteTimeUtc(directory.HostPath, t))),
            _ => (int)Errno.BadDescriptor,
        };
    }

    /// <summary>Applies <c>fstflags</c>: each timestamp is left alone, set to the given time, or set to now (not both).</summary>
    private Errno SetTimes(int flags, ulong accessTime, ulong modificationTime, Action<DateTime> setAccess, Action<DateTime> setModification)
    {
        var f = (TimeFlags)flags;
        if ((flags & ~0xF) != 0
            || (f & (TimeFlags.AccessTime | TimeFlags.AccessTimeNow)) == (TimeFlags.AccessTime | TimeFlags.AccessTimeNow)
            || (f & (TimeFlags.ModificationTime | TimeFlags.ModificationTimeNow)) == (TimeFlags.ModificationTime | TimeFlags.ModificationTimeNow))
            return Errno.Invalid;
        var now = Filestat.FromNanoseconds((ulong)context.Clocks.Now(WasiClock.Realtime));
        if ((f & TimeFlags.AccessTime) != 0) setAccess(Filestat.FromNanoseconds(accessTime));
        if ((f & TimeFlags.AccessTimeNow) != 0) setAccess(now);
        if ((f & TimeFlags.ModificationTime) != 0) setModification(Filestat.FromNanoseconds(modificationTime));
        if ((f & TimeFlags.ModificationTimeNow) != 0) setModification(now);
        return Errno.Success;
    }

    private int FdPrestatGet(Caller caller, int fd, int prestatOut)
    {
        if (Descriptors.Get(fd) is not DirectoryDescriptor { PreopenName: { } name }) return (int)Errno.BadDescriptor;
        if (!MemoryOf(caller).TryGetSpan(prestatOut, Layouts.PrestatSize, out var prestat)) return (int)Errno.Fault;
        prestat.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(prestat[4..], (uint)Encoding.UTF8.GetByteCount(name));
        return (int)Errno.Success;
    }

    private int FdPrestatDirName(Caller caller, int fd, int pathOut, int pathLength)
    {
        if (Descriptors.Get(fd) is not DirectoryDescriptor { PreopenName: { } name }) return (int)Errno.BadDescriptor;
        var bytes = Encoding.UTF8.GetBytes(name);
        if ((uint)pathLength < (uint)bytes.Length) return (int)Errno.NameTooLong;
        if (!MemoryOf(caller).TryGetSpan(pathOut, (uint)bytes.Length, out var destination)) return (int)Errno.Fault;
        bytes.CopyTo(destination);
        return (int)Errno.Success;
    }

    private int FdReaddir(Caller caller, int fd, int buffer, int bufferLength, long cookie, int usedOut)
    {
        var status = Lookup(fd, Rights.FdReaddir, out var descriptor);
        if (status != Errno.Success) return (int)status;
        if (descriptor is not DirectoryDescriptor directory) return (int)Errno.NotDirectory;
        var memory = MemoryOf(caller);
        if (!memory.TryGetSpan(buffer, (uint)bufferLength, out var destination) || !memory.TryGetSpan(usedOut, 4, out _)) return (int)Errno.Fault;
        try
        {
            int used = DirectoryListing.Encode(directory.GetListing((ulong)cookie), (ulong)cookie, destination);
            memory.TryWriteUInt32(usedOut, (uint)used);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }
}
