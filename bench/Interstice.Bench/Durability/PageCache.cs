using System.Runtime.InteropServices;

namespace Interstice.Bench.Durability;

/// <summary>
/// Drops a file's pages from the operating system's cache (posix_fadvise DONTNEED, Linux), so
/// that the next read comes from the disk: "reading the log from disk" as a cold start does.
/// Only clean pages go, so the file must have been fsynced (the log fsyncs when it closes).
/// </summary>
internal static partial class PageCache
{
    private const int DontNeed = 4;

    public static bool CanEvict => OperatingSystem.IsLinux();

    public static void Evict(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        int result = posix_fadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed);
        if (result != 0) throw new IOException($"posix_fadvise({path}) failed with error {result}");
    }

    [LibraryImport("libc")]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);
}
