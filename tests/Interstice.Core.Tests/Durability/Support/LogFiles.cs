using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>Helpers that look into and damage a data directory's files, as a crash or a bad disk would.</summary>
public static class LogFiles
{
    /// <summary>Every record's segment, offset and frame length, in log order.</summary>
    public static List<(string Segment, long Offset, long Length)> Records(string dataDirectory)
    {
        var entries = LogReader.Read(dataDirectory).ToList();
        var result = new List<(string, long, long)>();
        for (int i = 0; i < entries.Count; i++)
        {
            long end = i + 1 < entries.Count && entries[i + 1].Segment == entries[i].Segment
                ? entries[i + 1].Offset
                : new FileInfo(entries[i].Segment).Length;
            result.Add((entries[i].Segment, entries[i].Offset, end - entries[i].Offset));
        }
        return result;
    }

    /// <summary>
    /// Copies of the data directory <paramref name="directory"/> (stopped) as a crash could leave
    /// it after records <paramref name="from"/> to <paramref name="to"/> were appended: one per
    /// number of those records kept, none to all, each in a folder of its own under
    /// <paramref name="scratch"/>, its log cut after the records kept. Yields how many of the
    /// log's records each keeps, and its folder.
    /// </summary>
    public static IEnumerable<(int Kept, string Directory)> CutsAfterEachRecord(string directory, int from, int to, string scratch)
    {
        var records = Records(directory);
        for (int kept = from; kept <= to; kept++)
        {
            string cut = Path.Combine(scratch, $"cut-{kept}");
            CopyDirectory(directory, cut);
            if (kept < records.Count)
            {
                var (segment, offset, _) = records[kept];
                Truncate(Path.Combine(cut, Path.GetRelativePath(directory, segment)), offset);
            }
            yield return (kept, cut);
        }
    }

    public static IReadOnlyList<SegmentFile> Segments(string dataDirectory) => new DataDirectory(dataDirectory).ListSegments();

    public static void FlipByte(string path, long offset, byte mask = 0xFF)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ mask));
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    public static void Append(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(bytes);
    }

    /// <summary>Every file under <paramref name="directory"/> with its content's hash, to show that nothing changed.</summary>
    public static SortedDictionary<string, string> Hashes(string directory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, path)] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }
        return files;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.GetDirectories(from)) CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
