using Interstice.Wasm.Wasi.Abi;
using Interstice.Wasm.Wasi.Descriptors;
using Interstice.Wasm.Wasi.Sandbox;

namespace Interstice.Wasm.Wasi.Functions;

/// <summary>
/// <c>path_*</c>: operations on paths relative to a directory descriptor. Every path goes
/// through <see cref="PathResolver"/>, so nothing outside the descriptor's directory is reached;
/// a final symbolic link is followed only where the operation says so.
/// </summary>
internal sealed partial class WasiFunctions
{
    private void DefinePath(Linker linker)
    {
        Define(linker, "path_create_directory", (Func<Caller, int, int, int, int>)PathCreateDirectory);
        Define(linker, "path_filestat_get", (Func<Caller, int, int, int, int, int, int>)PathFilestatGet);
        Define(linker, "path_filestat_set_times", (Func<Caller, int, int, int, int, long, long, int, int>)PathFilestatSetTimes);
        Define(linker, "path_link", (Func<Caller, int, int, int, int, int, int, int, int>)((_, _, _, _, _, _, _, _) => (int)Errno.NotImplemented));
        Define(linker, "path_open", (Func<Caller, int, int, int, int, int, long, long, int, int, int>)PathOpen);
        Define(linker, "path_readlink", (Func<Caller, int, int, int, int, int, int, int>)PathReadlink);
        Define(linker, "path_remove_directory", (Func<Caller, int, int, int, int>)PathRemoveDirectory);
        Define(linker, "path_rename", (Func<Caller, int, int, int, int, int, int, int>)PathRename);
        Define(linker, "path_symlink", (Func<Caller, int, int, int, int, int, int>)((_, _, _, _, _, _) => (int)Errno.NotImplemented));
        Define(linker, "path_unlink_file", (Func<Caller, int, int, int, int>)PathUnlinkFile);
    }

    /// <summary>Finds the directory descriptor, checks its rights, reads the guest path and resolves it inside the directory.</summary>
    private Errno ResolvePath(Caller caller, int fd, Rights rights, int path, int pathLength, bool followFinal, out ResolvedPath resolved, out DirectoryDescriptor directory)
    {
        resolved = default;
        directory = null!;
        var descriptor = Descriptors.Get(fd);
        if (descriptor is null) return Errno.BadDescriptor;
        if (descriptor is not DirectoryDescriptor d) return Errno.NotDirectory;
        directory = d;
        if (!d.Can(rights)) return Errno.NotCapable;
        if (!MemoryOf(caller).TryReadString(path, pathLength, out string guestPath, out bool outOfBounds))
            return outOfBounds ? Errno.Fault : Errno.IllegalSequence;
        return PathResolver.Resolve(d.HostPath, guestPath, followFinal, out resolved);
    }

    private int PathOpen(Caller caller, int fd, int lookupFlags, int path, int pathLength, int openFlags,
        long rightsBase, long rightsInheriting, int descriptorFlags, int fdOut)
    {
        var oflags = (OpenFlags)openFlags;
        var fdflags = (DescriptorFlags)descriptorFlags;
        if ((openFlags & ~0xF) != 0 || (descriptorFlags & ~0x1F) != 0) return (int)Errno.Invalid;
        var needed = Rights.PathOpen
            | ((oflags & OpenFlags.Create) != 0 ? Rights.PathCreateFile : Rights.None)
            | ((oflags & OpenFlags.Truncate) != 0 ? Rights.PathFilestatSetSize : Rights.None);
        bool follow = (lookupFlags & (int)LookupFlags.SymlinkFollow) != 0;
        var status = ResolvePath(caller, fd, needed, path, pathLength, follow, out var resolved, out var directory);
        if (status != Errno.Success) return (int)status;
        if (!MemoryOf(caller).TryGetSpan(fdOut, 4, out _)) return (int)Errno.Fault;

        var requested = (Rights)rightsBase & directory.RightsInheriting;
        var inheriting = (Rights)rightsInheriting & directory.RightsInheriting;
        bool write = (requested & Rights.FdWrite) != 0 || (fdflags & DescriptorFlags.Append) != 0;
        try
        {
            Descriptor opened;
            switch (HostEntries.KindOf(resolved.HostPath))
            {
                case HostEntryKind.SymbolicLink:
                    return (int)Errno.Loop;
                case HostEntryKind.Directory:
                    if ((oflags & (OpenFlags.Create | OpenFlags.Exclusive)) == (OpenFlags.Create | OpenFlags.Exclusive)) return (int)Errno.Exists;
                    if (write || (oflags & OpenFlags.Truncate) != 0) return (int)Errno.IsDirectory;
                    opened = new DirectoryDescriptor(resolved.HostPath, null, requested & Rights.Directory, inheriting);
                    break;
                case HostEntryKind.File when (oflags & OpenFlags.Directory) != 0 || resolved.TrailingSlash:
                    return (int)Errno.NotDirectory;
                case HostEntryKind.None when (oflags & OpenFlags.Directory) != 0 || resolved.TrailingSlash:
                    return (int)Errno.NoEntry;
                default:
                    opened = OpenFile(resolved.HostPath, oflags, fdflags, requested, inheriting, write);
                    break;
            }
            opened.Flags = fdflags;
            status = Descriptors.Add(opened, out int newFd);
            if (status != Errno.Success) return (int)status;
            MemoryOf(caller).TryWriteUInt32(fdOut, (uint)newFd);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }

    private static FileDescriptor OpenFile(string hostPath, OpenFlags oflags, DescriptorFlags fdflags, Rights requested, Rights inheriting, bool write)
    {
        var mode = (oflags & (OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.Truncate)) switch
        {
            var f when (f & (OpenFlags.Create | OpenFlags.Exclusive)) == (OpenFlags.Create | OpenFlags.Exclusive) => FileMode.CreateNew,
            var f when (f & (OpenFlags.Create | OpenFlags.Truncate)) == (OpenFlags.Create | OpenFlags.Truncate) => FileMode.Create,
            var f when (f & OpenFlags.Create) != 0 => FileMode.OpenOrCreate,
            var f when (f & OpenFlags.Truncate) != 0 => FileMode.Truncate,
            _ => FileMode.Open,
        };
        bool read = (requested & Rights.FdRead) != 0;
        // .NET insists on write access to create or truncate; the descriptor's rights still say what the program may do.
        bool needsWrite = write || mode is FileMode.CreateNew or FileMode.Create or FileMode.Truncate;
        var access = needsWrite ? (read || !write ? FileAccess.ReadWrite : FileAccess.Write) : FileAccess.Read;
        var options = (fdflags & (DescriptorFlags.Sync | DescriptorFlags.DataSync | DescriptorFlags.ReadSync)) != 0 ? FileOptions.WriteThrough : FileOptions.None;
        var handle = File.OpenHandle(hostPath, mode, access, FileShare.ReadWrite | FileShare.Delete, options);
        return new FileDescriptor(handle, requested & Rights.RegularFile, inheriting);
    }

    private int PathFilestatGet(Caller caller, int fd, int lookupFlags, int path, int pathLength, int filestatOut)
    {
        bool follow = (lookupFlags & (int)LookupFlags.SymlinkFollow) != 0;
        var status = ResolvePath(caller, fd, Rights.PathFilestatGet, path, pathLength, follow, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        if (!MemoryOf(caller).TryGetSpan(filestatOut, Layouts.FilestatSize, out var destination)) return (int)Errno.Fault;
        try
        {
            var filestat = Filestat.OfPath(resolved.HostPath);
            if (resolved.TrailingSlash && filestat.Type != FileType.Directory) return (int)Errno.NotDirectory;
            filestat.WriteTo(destination);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }

    private int PathFilestatSetTimes(Caller caller, int fd, int lookupFlags, int path, int pathLength, long accessTime, long modificationTime, int flags)
    {
        bool follow = (lookupFlags & (int)LookupFlags.SymlinkFollow) != 0;
        var status = ResolvePath(caller, fd, Rights.PathFilestatSetTimes, path, pathLength, follow, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        string hostPath = resolved.HostPath;
        return Guard(() => HostEntries.KindOf(hostPath) switch
        {
            HostEntryKind.File => SetTimes(flags, (ulong)accessTime, (ulong)modificationTime,
                t => File.SetLastAccessTimeUtc(hostPath, t), t => File.SetLastWriteTimeUtc(hostPath, t)),
            HostEntryKind.Directory => SetTimes(flags, (ulong)accessTime, (ulong)modificationTime,
                t => Directory.SetLastAccessTimeUtc(hostPath, t), t => Directory.SetLastWriteTimeUtc(hostPath, t)),
            // Setting a link's own times needs lutimes, which .NET does not offer.
            HostEntryKind.SymbolicLink => Errno.NotSupported,
            _ => Errno.NoEntry,
        });
    }

    private int PathCreateDirectory(Caller caller, int fd, int path, int pathLength)
    {
        var status = ResolvePath(caller, fd, Rights.PathCreateDirectory, path, pathLength, followFinal: false, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        string hostPath = resolved.HostPath;
        return Guard(() =>
        {
            if (resolved.IsRoot || HostEntries.KindOf(hostPath) != HostEntryKind.None) return Errno.Exists;
            // Directory.CreateDirectory would create missing parents too; mkdir does not.
            switch (HostEntries.KindOf(Path.GetDirectoryName(hostPath)!))
            {
                case HostEntryKind.None: return Errno.NoEntry;
                case HostEntryKind.File: return Errno.NotDirectory;
            }
            Directory.CreateDirectory(hostPath);
            return Errno.Success;
        });
    }

    private int PathRemoveDirectory(Caller caller, int fd, int path, int pathLength)
    {
        var status = ResolvePath(caller, fd, Rights.PathRemoveDirectory, path, pathLength, followFinal: false, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        string hostPath = resolved.HostPath;
        return Guard(() =>
        {
            if (resolved.IsRoot) return Errno.Invalid;
            switch (HostEntries.KindOf(hostPath))
            {
                case HostEntryKind.None: return Errno.NoEntry;
                case HostEntryKind.File or HostEntryKind.SymbolicLink: return Errno.NotDirectory;
            }
            if (Directory.EnumerateFileSystemEntries(hostPath).Any()) return Errno.NotEmpty;
            Directory.Delete(hostPath, recursive: false);
            return Errno.Success;
        });
    }

    private int PathUnlinkFile(Caller caller, int fd, int path, int pathLength)
    {
        var status = ResolvePath(caller, fd, Rights.PathUnlinkFile, path, pathLength, followFinal: false, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        string hostPath = resolved.HostPath;
        return Guard(() =>
        {
            if (resolved.IsRoot) return Errno.IsDirectory;
            switch (HostEntries.KindOf(hostPath))
            {
                case HostEntryKind.None: return Errno.NoEntry;
                case HostEntryKind.Directory: return Errno.IsDirectory;
            }
            if (resolved.TrailingSlash) return Errno.NotDirectory;
            File.Delete(hostPath);
            return Errno.Success;
        });
    }

    private int PathRename(Caller caller, int fd, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength)
    {
        var status = ResolvePath(caller, fd, Rights.PathRenameSource, oldPath, oldPathLength, followFinal: false, out var source, out _);
        if (status != Errno.Success) return (int)status;
        status = ResolvePath(caller, newFd, Rights.PathRenameTarget, newPath, newPathLength, followFinal: false, out var target, out _);
        if (status != Errno.Success) return (int)status;
        return Guard(() =>
        {
            if (source.IsRoot || target.IsRoot) return Errno.Busy;
            var sourceKind = HostEntries.KindOf(source.HostPath);
            var targetKind = HostEntries.KindOf(target.HostPath);
            if (sourceKind == HostEntryKind.None) return Errno.NoEntry;
            if (sourceKind != HostEntryKind.Directory)
            {
                if (targetKind == HostEntryKind.Directory) return Errno.IsDirectory;
                if (source.TrailingSlash || target.TrailingSlash) return Errno.NotDirectory;
                File.Move(source.HostPath, target.HostPath, overwrite: true);
                return Errno.Success;
            }
            if (targetKind is HostEntryKind.File or HostEntryKind.SymbolicLink) return Errno.NotDirectory;
            if (string.Equals(source.HostPath, target.HostPath, StringComparison.Ordinal)) return Errno.Success;
            if (target.HostPath.StartsWith(source.HostPath + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return Errno.Invalid;
            if (targetKind == HostEntryKind.Directory)
            {
                if (Directory.EnumerateFileSystemEntries(target.HostPath).Any()) return Errno.NotEmpty;
                Directory.Delete(target.HostPath);
            }
            Directory.Move(source.HostPath, target.HostPath);
            return Errno.Success;
        });
    }

    private int PathReadlink(Caller caller, int fd, int path, int pathLength, int buffer, int bufferLength, int usedOut)
    {
        var status = ResolvePath(caller, fd, Rights.PathReadlink, path, pathLength, followFinal: false, out var resolved, out _);
        if (status != Errno.Success) return (int)status;
        var memory = MemoryOf(caller);
        if (!memory.TryGetSpan(buffer, (uint)bufferLength, out var destination) || !memory.TryGetSpan(usedOut, 4, out _)) return (int)Errno.Fault;
        try
        {
            string? target = new FileInfo(resolved.HostPath).LinkTarget;
            if (target is null) return HostEntries.KindOf(resolved.HostPath) == HostEntryKind.None ? (int)Errno.NoEntry : (int)Errno.Invalid;
            var bytes = System.Text.Encoding.UTF8.GetBytes(target);
            // Like readlink(2), a target longer than the buffer is cut short.
            int count = Math.Min(bytes.Length, destination.Length);
            bytes.AsSpan(0, count).CopyTo(destination);
            memory.TryWriteUInt32(usedOut, (uint)count);
            return (int)Errno.Success;
        }
        catch (Exception e) when (HostErrors.IsFileSystemError(e))
        {
            return (int)HostErrors.ToErrno(e);
        }
    }
}
