namespace Interstice.Core.Durability;

/// <summary>When a committed transaction counts as durable, and so when its caller is acknowledged.</summary>
public enum DurabilityPolicy
{
    /// <summary>
    /// Acknowledged once an fsync covering its record returned: it survives a crash of the
    /// process and of the machine. Concurrent commits share fsyncs (group commit).
    /// </summary>
    Sync,
    /// <summary>
    /// Acknowledged once its record is written to the file (it survives a crash of the
    /// process); an fsync runs every <see cref="DurabilityOptions.FlushInterval"/>, so a crash
    /// of the machine loses at most that much.
    /// </summary>
    Interval,
    /// <summary>
    /// Acknowledged once its record is written to the file (it survives a crash of the
    /// process); the log never fsyncs except when it seals a segment or closes: the operating
    /// system writes the data back when it chooses.
    /// </summary>
    None,
}
