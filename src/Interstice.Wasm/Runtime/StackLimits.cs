using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interstice.Wasm.Runtime;

/// <summary>
/// The lowest stack address compiled WebAssembly may use on the current thread: the thread's
/// stack bottom plus a safety margin left for exception dispatch, runtime helpers and host
/// functions. Computed once per thread from the operating system's view of the stack.
/// </summary>
internal static unsafe partial class StackLimits
{
    /// <summary>The smallest and largest margin kept free below compiled code.</summary>
    private const nuint MinimumMargin = 64 * 1024, MaximumMargin = 512 * 1024;

    /// <summary>A frame bigger than this may not fit in the margin: such callees get an explicit check before the call.</summary>
    public const int SmallFrameBytes = 16 * 1024;

    /// <summary>When the stack's extent is unknown, assume this much is usable below the first entry.</summary>
    private const nuint FallbackUsable = 256 * 1024;

    [ThreadStatic] private static nuint t_limit;

    public static nuint Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            nuint limit = t_limit;
            return limit != 0 ? limit : Compute();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nuint Compute()
    {
        byte probe = 0;
        nuint here = (nuint)(&probe);
        nuint low = 0, size = 0;
        try
        {
            if (OperatingSystem.IsLinux()) (low, size) = LinuxStack();
            else if (OperatingSystem.IsWindows()) (low, size) = WindowsStack();
            else if (OperatingSystem.IsMacOS()) (low, size) = MacStack();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            low = 0;
        }
        nuint limit;
        if (low == 0 || size == 0 || here < low || here - low > size)
        {
            limit = here > FallbackUsable ? here - FallbackUsable : here;
        }
        else
        {
            nuint margin = Math.Clamp(size / 8, MinimumMargin, MaximumMargin);
            limit = low + margin;
        }
        t_limit = limit;
        return limit;
    }

    private static (nuint Low, nuint Size) LinuxStack()
    {
        // pthread_attr_t is 56 bytes on 64-bit glibc and musl; leave room.
        byte* attr = stackalloc byte[256];
        if (Linux.pthread_getattr_np(Linux.pthread_self(), attr) != 0) return (0, 0);
        nuint low, size;
        int result = Linux.pthread_attr_getstack(attr, &low, &size);
        Linux.pthread_attr_destroy(attr);
        return result == 0 ? (low, size) : (0, 0);
    }

    private static (nuint Low, nuint Size) WindowsStack()
    {
        nuint low, high;
        Windows.GetCurrentThreadStackLimits(&low, &high);
        return (low, high - low);
    }

    private static (nuint Low, nuint Size) MacStack()
    {
        nint thread = Mac.pthread_self();
        nuint high = (nuint)Mac.pthread_get_stackaddr_np(thread);
        nuint size = Mac.pthread_get_stacksize_np(thread);
        return (high - size, size);
    }

    private static partial class Linux
    {
        [LibraryImport("libc")] public static partial nint pthread_self();
        [LibraryImport("libc")] public static partial int pthread_getattr_np(nint thread, void* attr);
        [LibraryImport("libc")] public static partial int pthread_attr_getstack(void* attr, nuint* address, nuint* size);
        [LibraryImport("libc")] public static partial int pthread_attr_destroy(void* attr);
    }

    private static partial class Windows
    {
        [LibraryImport("kernel32")] public static partial void GetCurrentThreadStackLimits(nuint* low, nuint* high);
    }

    private static partial class Mac
    {
        [LibraryImport("libSystem.dylib")] public static partial nint pthread_self();
        [LibraryImport("libSystem.dylib")] public static partial void* pthread_get_stackaddr_np(nint thread);
        [LibraryImport("libSystem.dylib")] public static partial nuint pthread_get_stacksize_np(nint thread);
    }
}
