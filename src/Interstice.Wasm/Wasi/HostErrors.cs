using Interstice.Wasm.Wasi.Abi;

namespace Interstice.Wasm.Wasi;

/// <summary>Translates the exceptions of .NET file APIs into WASI error numbers.</summary>
internal static class HostErrors
{
    /// <summary>Whether <paramref name="exception"/> is an expected failure of a file operation (not a bug) that <see cref="ToErrno"/> translates.</summary>
    public static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    public static Errno ToErrno(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.NoEntry,
        PathTooLongException => Errno.NameTooLong,
        UnauthorizedAccessException => Errno.Access,
        IOException io when OperatingSystem.IsLinux() => FromLinuxErrno(io.HResult),
        ArgumentException => Errno.Invalid,
        NotSupportedException => Errno.NotSupported,
        _ => Errno.IO,
    };

    /// <summary>On Unix, .NET puts the host's errno in <see cref="Exception.HResult"/> of the IOExceptions it has no subclass for.</summary>
    private static Errno FromLinuxErrno(int errno) => errno switch
    {
        1 => Errno.NotPermitted,
        2 => Errno.NoEntry,
        13 => Errno.Access,
        16 => Errno.Busy,
        17 => Errno.Exists,
        18 => Errno.CrossDevice,
        20 => Errno.NotDirectory,
        21 => Errno.IsDirectory,
        22 => Errno.Invalid,
        24 => Errno.TooManyFiles,
        27 => Errno.FileTooBig,
        28 => Errno.NoSpace,
        30 => Errno.ReadOnlyFileSystem,
        36 => Errno.NameTooLong,
        39 => Errno.NotEmpty,
        40 => Errno.Loop,
        122 => Errno.QuotaExceeded,
        _ => Errno.IO,
    };
}
