namespace Interstice.Core.Durability.Log;

/// <summary>
/// The commit log could not write or fsync its file (disk full, I/O error). The log stops at
/// the first failure: records not yet acknowledged may or may not be on disk, and every later
/// append and wait throws this. After a failed fsync the operating system may have dropped the
/// data it could not write, so the only safe course is to stop and recover from the files.
/// </summary>
public sealed class CommitLogFailedException(string message, Exception innerException) : IOException(message, innerException);
