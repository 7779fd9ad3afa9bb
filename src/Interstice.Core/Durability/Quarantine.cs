using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability;

/// <summary>
/// The data directory's <c>quarantine/</c>: what is cut from the log (a torn tail, damage and
/// what follows it) and invalid snapshots are moved there instead of being deleted, so that
/// nothing is lost for good. Names never overwrite an earlier file: a suffix <c>.1</c>,
/// <c>.2</c>... is added.
/// </summary>
internal static class Quarantine
{
    private const int CopyChunkSize = 1 << 20;

    /// <summary>Moves the file at <paramref name="path"/> into the quarantine; returns where it went.</summary>
    public static string MoveFile(DataDirectory directory, string path)
    {
        Directory.CreateDirectory(directory.QuarantineDirectory);
        string kept = FreePath(directory, Path.GetFileName(path));
        File.Move(path, kept);
        FileSync.Directory(Path.GetDirectoryName(path)!);
        FileSync.Directory(directory.QuarantineDirectory);
        return kept;
    }

    /// <summary>
    /// Copies the bytes of <paramref name="path"/> from <paramref name="offset"/> to its end into
    /// the quarantine as <c>NAME.from-OFFSET</c> (streamed, synced), then truncates the file at
    /// <paramref name="offset"/>; returns where the bytes went.
    /// </summary>
    public static string KeepTail(DataDirectory directory, string path, long offset)
    {
        Directory.CreateDirectory(directory.QuarantineDirectory);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        string kept = FreePath(directory, $"{Path.GetFileName(path)}.from-{offset}");
        using (var file = new FileStream(kept, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var buffer = new byte[(int)Math.Clamp(RandomAccess.GetLength(handle) - offset, 1, CopyChunkSize)];
            long at = offset;
            while (true)
            {
                int read = RandomAccess.Read(handle, buffer, at);
                if (read == 0) break;
                file.Write(buffer, 0, read);
                at += read;
            }
            file.Flush(flushToDisk: true);
        }
        FileSync.Directory(directory.QuarantineDirectory);
        RandomAccess.SetLength(handle, offset);
        FileSync.File(handle);
        return kept;
    }

    /// <summary>A name in the quarantine that does not overwrite an earlier file.</summary>
    private static string FreePath(DataDirectory directory, string name)
    {
        string path = Path.Combine(directory.QuarantineDirectory, name);
        for (int i = 1; File.Exists(path); i++) path = Path.Combine(directory.QuarantineDirectory, $"{name}.{i}");
        return path;
    }
}
