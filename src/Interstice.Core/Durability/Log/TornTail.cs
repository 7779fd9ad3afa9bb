using Interstice.Core.Durability.IO;

namespace Interstice.Core.Durability.Log;

/// <summary>
/// The end of the last segment does not hold a whole valid record, and no valid record follows:
/// a write cut short by a crash. Everything from <see cref="Offset"/> on is cut away (the
/// whole file when <see cref="Offset"/> is 0: its header was never completely written).
/// </summary>
/// <param name="Path">The segment file.</param>
/// <param name="Offset">Where the valid part ends.</param>
/// <param name="Length">The file's length.</param>
/// <param name="Reason">What is wrong at <see cref="Offset"/>.</param>
public readonly record struct TornTail(string Path, long Offset, long Length, string Reason)
{
    public override string ToString() =>
        $"{Path}: the last {Length - Offset} bytes (from byte {Offset}) are an incomplete record ({Reason}); the log ends before them";

    /// <summary>Cuts the torn bytes away for good: truncates the segment at <see cref="Offset"/>, or deletes it when <see cref="Offset"/> is 0.</summary>
    internal void CutAway()
    {
        if (Offset == 0)
        {
            File.Delete(Path);
            FileSync.Directory(System.IO.Path.GetDirectoryName(Path)!);
            return;
        }
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        RandomAccess.SetLength(handle, Offset);
        FileSync.File(handle);
    }
}
