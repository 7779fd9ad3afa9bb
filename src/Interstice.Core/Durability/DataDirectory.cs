using System.Globalization;

namespace Interstice.Core.Durability;

/// <summary>
/// Where a node keeps its durable state, and how files there are named:
/// <code>
/// DIR/log/00000000000000000001.log         segments, named by their first transaction id
/// DIR/log/archive/...                     segments retired by a snapshot (when archiving)
/// DIR/snapshots/00000000000000052000.snapshot   named by the last transaction id they contain
/// DIR/quarantine/...                      what a start (a torn tail) or `log verify --repair` cut away
/// DIR/node.lock                           held by the node using the directory (<see cref="DataDirectoryLock"/>)
/// </code>
/// Ids are zero-padded to 20 digits, so names sort in log order. Listing tells a directory that
/// does not exist yet (nothing there: empty) from one that cannot be read
/// (<see cref="UnauthorizedAccessException"/> naming it) and from a path that is a file
/// (<see cref="IOException"/> saying it is not a directory).
/// </summary>
public sealed class DataDirectory
{
    public const string SnapshotExtension = ".snapshot";
    internal const string TemporaryExtension = ".tmp";

    public DataDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string LogDirectory => Path.Combine(Root, "log");

    public string ArchiveDirectory => Path.Combine(Root, "log", "archive");

    public string SnapshotDirectory => Path.Combine(Root, "snapshots");

    public string QuarantineDirectory => Path.Combine(Root, "quarantine");

    /// <summary>Where the binaries of the modules the node loaded are kept, by content hash (<c>&lt;sha-256&gt;.wasm</c>).</summary>
    public string ModulesDirectory => Path.Combine(Root, "modules");

    public static string SegmentFileName(ulong firstTransactionId) => firstTransactionId.ToString("D20", CultureInfo.InvariantCulture) + Format.LogFormat.SegmentExtension;

    public static string SnapshotFileName(ulong lastTransactionId) => lastTransactionId.ToString("D20", CultureInfo.InvariantCulture) + SnapshotExtension;

    public string SegmentPath(ulong firstTransactionId) => Path.Combine(LogDirectory, SegmentFileName(firstTransactionId));

    public string SnapshotPath(ulong lastTransactionId) => Path.Combine(SnapshotDirectory, SnapshotFileName(lastTransactionId));

    /// <summary>The log's segments in order (the archive's first when <paramref name="includeArchive"/>); files with other names are ignored.</summary>
    public IReadOnlyList<SegmentFile> ListSegments(bool includeArchive = false)
    {
        var segments = new List<SegmentFile>();
        if (includeArchive) Collect(ArchiveDirectory, Format.LogFormat.SegmentExtension, segments, (path, id) => new SegmentFile(path, id, Archived: true));
        Collect(LogDirectory, Format.LogFormat.SegmentExtension, segments, (path, id) => new SegmentFile(path, id, Archived: false));
        segments.Sort((a, b) => a.FirstTransactionId.CompareTo(b.FirstTransactionId));
        return segments;
    }

    /// <summary>The snapshots, oldest first; temporary files (a snapshot being written) are ignored.</summary>
    public IReadOnlyList<SnapshotFile> ListSnapshots()
    {
        var snapshots = new List<SnapshotFile>();
        Collect(SnapshotDirectory, SnapshotExtension, snapshots, (path, id) => new SnapshotFile(path, id));
        snapshots.Sort((a, b) => a.LastTransactionId.CompareTo(b.LastTransactionId));
        return snapshots;
    }

    /// <summary>
    /// Throws <see cref="IOException"/> when <paramref name="path"/> (the root or a directory
    /// under it) or a directory between the root and it is a file, not a directory.
    /// </summary>
    internal void ThrowIfNotADirectory(string path)
    {
        for (string? at = Path.GetFullPath(path); at != null; at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) throw new IOException($"{at} is not a directory: the data directory {Root} needs it to be one");
            if (at == Root) return;
        }
    }

    private void Collect<T>(string directory, string extension, List<T> into, Func<string, ulong, T> make)
    {
        // Not Directory.Exists: it says false when the directory cannot be read, which would list it as empty.
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*" + extension))
            {
                if (TryParseId(Path.GetFileName(path), extension, out ulong id)) into.Add(make(path, id));
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Not there yet (a new directory, or nothing archived): nothing to list, unless a file stands in its way.
            ThrowIfNotADirectory(directory);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{FirstUnreadable(directory)} cannot be read (permission denied): the data directory {Root} must be readable", e);
        }
    }

    /// <summary>The outermost directory from the root down to <paramref name="directory"/> that cannot be listed (the root itself when it is chmod 000).</summary>
    private string FirstUnreadable(string directory)
    {
        var path = new Stack<string>();
        for (string? at = directory; at != null && at.Length >= Root.Length; at = Path.GetDirectoryName(at)) path.Push(at);
        foreach (string at in path)
        {
            try
            {
                using var entries = Directory.EnumerateFileSystemEntries(at).GetEnumerator();
                entries.MoveNext();
            }
            catch (UnauthorizedAccessException)
            {
                return at;
            }
            catch (IOException)
            {
                return directory;
            }
        }
        return directory;
    }

    private static bool TryParseId(string fileName, string extension, out ulong id)
    {
        id = 0;
        if (!fileName.EndsWith(extension, StringComparison.Ordinal) || fileName.Length != 20 + extension.Length) return false;
        var digits = fileName.AsSpan(0, 20);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9') return false;
        }
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}

/// <summary>A segment file of the log: its path and the first transaction id its name gives.</summary>
public readonly record struct SegmentFile(string Path, ulong FirstTransactionId, bool Archived);

/// <summary>A snapshot file: its path and the last transaction id its name gives.</summary>
public readonly record struct SnapshotFile(string Path, ulong LastTransactionId);
