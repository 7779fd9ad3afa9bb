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
}
