using System.Globalization;

namespace Interstice.Core.Durability;

/// <summary>
/// Where a node keeps its durable state, and how files there are named:
/// <code>
/// DIR/log/00000000000000000001.log         segments, named by their first transaction id
/// DIR/log/archive/...                     segments retired by a snapshot (when archiving)
/// DIR/snapshots/00000000000000052000.snapshot   named by the last transaction id they contain
/// DIR/quarantine/...                      what `log verify --repair` cut away
/// </code>
/// Ids are zero-padded to 20 digits, so names sort in log order.
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

    private static void Collect<T>(string directory, string extension, List<T> into, Func<string, ulong, T> make)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + extension))
        {
            if (TryParseId(Path.GetFileName(path), extension, out ulong id)) into.Add(make(path, id));
        }
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
