namespace Interstice.Core.Durability.Log;

/// <summary>
/// The end of the last segment does not hold a whole valid record, and no valid record follows:
/// a write cut short by a crash. A whole last record with a bad checksum counts too (damage at
/// the end with nothing valid after it cannot be told from a torn write). Everything from
/// <see cref="Offset"/> on is cut away (the whole file when <see cref="Offset"/> is 0: its
/// header was never completely written) and kept in the data directory's <c>quarantine/</c>.
/// </summary>
/// <param name="Path">The segment file.</param>
/// <param name="Offset">Where the valid part ends.</param>
/// <param name="Length">The file's length.</param>
/// <param name="Reason">What is wrong at <see cref="Offset"/>.</param>
public readonly record struct TornTail(string Path, long Offset, long Length, string Reason)
{
    public override string ToString() =>
        Length == 0 ? $"{Path}: the segment is empty (0 bytes: its header was never written); the log ends before it"
        : Offset == 0 ? $"{Path}: its {Length} bytes are an invalid or incomplete segment header at the end of the log ({Reason}); the log ends before it"
        : $"{Path}: the last {Length - Offset} bytes (from byte {Offset}) are an invalid or incomplete record at the end of the log ({Reason}); the log ends before them";

    /// <summary>
    /// Cuts the torn bytes away into <paramref name="directory"/>'s quarantine, as
    /// <c>log verify --repair</c> does: truncates the segment at <see cref="Offset"/> keeping
    /// the cut bytes in <c>quarantine/NAME.from-OFFSET</c>, or moves the whole segment there
    /// when <see cref="Offset"/> is 0. Returns the warning to give: what was cut and where it is kept.
    /// </summary>
    internal string CutAway(DataDirectory directory)
    {
        string kept = Offset == 0 ? Quarantine.MoveFile(directory, Path) : Quarantine.KeepTail(directory, Path, Offset);
        return $"{this}; {(Offset == 0 ? "the segment was moved" : "they were cut away and kept")} in {kept}";
    }
}
