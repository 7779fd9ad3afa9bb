using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Interstice.Core.Durability.IO;

/// <summary>
/// Makes writes durable: file contents with fsync (<see cref="RandomAccess.FlushToDisk"/>), and
/// directory entries (a created, renamed or deleted file) with an fsync of the directory, which
/// .NET has no API for, so it is done through libc on Linux and macOS. On Windows a directory
/// cannot be synced and need not be: NTFS journals its metadata.
/// </summary>
internal static partial class FileSync
{
    public static void File(SafeFileHandle handle) => RandomAccess.FlushToDisk(handle);

    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
