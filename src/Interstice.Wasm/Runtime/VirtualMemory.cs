using System.Runtime.InteropServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// Address-space reservations for linear memories: reserve the maximum size once (no access),
/// commit (make readable and writable, zero-filled) a growing prefix, release all at the end.
/// Because the reservation never moves, compiled code may keep the base address in a local.
/// </summary>
internal static unsafe partial class VirtualMemory
{
    /// <summary>Reserves <paramref name="bytes"/> of address space with no access. Returns null on failure.</summary>
    public static byte* Reserve(nuint bytes)
    {
        if (OperatingSystem.IsWindows())
            return (byte*)Windows.VirtualAlloc(null, bytes, Windows.MEM_RESERVE, Windows.PAGE_NOACCESS);
        nint p = Posix.mmap(0, bytes, Posix.PROT_NONE, Posix.MAP_PRIVATE | Posix.AnonymousFlag | Posix.NoReserveFlag, -1, 0);
        return p == -1 ? null : (byte*)p;
    }

    /// <summary>Makes <c>[address, address + bytes)</c> of a reservation readable and writable. Fresh pages read as zero.</summary>
    public static bool Commit(byte* address, nuint bytes)
    {
        if (bytes == 0) return true;
        if (OperatingSystem.IsWindows())
            return Windows.VirtualAlloc(address, bytes, Windows.MEM_COMMIT, Windows.PAGE_READWRITE) != null;
        return Posix.mprotect((nint)address, bytes, Posix.PROT_READ | Posix.PROT_WRITE) == 0;
    }

    /// <summary>Releases a whole reservation made by <see cref="Reserve"/>.</summary>
    public static void Release(byte* address, nuint bytes)
    {
        if (OperatingSystem.IsWindows()) Windows.VirtualFree(address, 0, Windows.MEM_RELEASE);
        else Posix.munmap((nint)address, bytes);
    }

    private static partial class Posix
    {
        public const int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
        public const int MAP_PRIVATE = 0x02;

        // MAP_ANONYMOUS and MAP_NORESERVE differ between Linux and the BSDs (macOS).
        public static readonly int AnonymousFlag = OperatingSystem.IsLinux() ? 0x20 : 0x1000;
        public static readonly int NoReserveFlag = OperatingSystem.IsLinux() ? 0x4000 : 0;

        [LibraryImport("libc")]
        public static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [LibraryImport("libc")]
        public static partial int mprotect(nint address, nuint length, int protection);

        [LibraryImport("libc")]
        public static partial int munmap(nint address, nuint length);
    }

    private static partial class Windows
    {
        public const uint MEM_COMMIT = 0x1000, MEM_RESERVE = 0x2000, MEM_RELEASE = 0x8000;
        public const uint PAGE_NOACCESS = 0x01, PAGE_READWRITE = 0x04;

        [LibraryImport("kernel32")]
        public static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protect);

        [LibraryImport("kernel32")]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static partial bool VirtualFree(void* address, nuint size, uint freeType);
    }
}
