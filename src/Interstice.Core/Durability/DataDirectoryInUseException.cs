namespace Interstice.Core.Durability;

/// <summary>
/// Another node holds the data directory: it took the directory's lock (<see cref="DataDirectoryLock"/>)
/// when it started and keeps it until it is disposed or its process ends. Nothing was read or
/// written. Start the node once the other has stopped, or give it a directory of its own.
/// </summary>
public sealed class DataDirectoryInUseException : IOException
{
    public DataDirectoryInUseException(string directory, string lockFile, Exception innerException)
        : base($"the data directory {directory} is in use: another node holds it (its lock file {lockFile} is locked by a running node, in this process or another)", innerException)
    {
        Directory = directory;
        LockFile = lockFile;
    }

    /// <summary>The data directory.</summary>
    public string Directory { get; }

    /// <summary>The lock file that is held.</summary>
    public string LockFile { get; }
}
