namespace Interstice.Core.Durability;

/// <summary>
/// A node's exclusive hold on its data directory, kept from before recovery reads anything until
/// the <see cref="DurableStore"/> is disposed: the file <c>DIR/node.lock</c> opened with
/// <see cref="FileShare.None"/>, which .NET turns into <c>flock(LOCK_EX)</c> on Unix and a share
/// mode on Windows. Two writers on one directory would append at the same offsets and overwrite
/// each other's fsynced commits; with the lock the second opener gets
/// <see cref="DataDirectoryInUseException"/>, whether it is another process or another node in
/// this one. The kernel releases the lock of a process that dies, so a crash never leaves the
/// directory locked; the file itself stays (removing it would let a third opener lock a new file
/// while the second still holds the old one). Tools that only read (<c>interstice log verify</c>,
/// <c>log inspect</c>) do not take it; <c>log verify --repair</c> does.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "node.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="directory"/>, creating the directory when it does not exist yet (a node's first start).</summary>
    /// <exception cref="DataDirectoryInUseException">Another node (in this process or another) holds the directory.</exception>
    /// <exception cref="IOException">The directory's path names a file, or the lock file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or the lock file may not be written.</exception>
    public static DataDirectoryLock Acquire(DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory.ThrowIfNotADirectory(directory.Root);
        Directory.CreateDirectory(directory.Root);
        string path = System.IO.Path.Combine(directory.Root, FileName);
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), path);
        }
        catch (IOException e) when (IsHeldElsewhere(e, path))
        {
            throw new DataDirectoryInUseException(directory.Root, path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"the data directory {directory.Root} cannot be locked: its lock file {path} cannot be created or opened for writing (permission denied)", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The open failed on the lock itself (EWOULDBLOCK from flock on Unix, a sharing violation on
    /// Windows) rather than on the file: .NET reports both as a plain <see cref="IOException"/>
    /// whose HResult is the errno (EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs) or
    /// ERROR_SHARING_VIOLATION.
    /// </summary>
    private static bool IsHeldElsewhere(IOException e, string path)
    {
        int wouldBlock = OperatingSystem.IsLinux() ? 11 : 35;
        const int SharingViolation = unchecked((int)0x80070020);
        return e.GetType() == typeof(IOException) && (e.HResult == wouldBlock || e.HResult == SharingViolation) && File.Exists(path);
    }
}
