namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// Recovery cannot rebuild the node's state: the log does not reach back to any usable
/// snapshot, a record names a table that does not exist, or a logged change contradicts the
/// state it is applied to. Names the file and byte offset involved when there is one. The
/// database recovery was filling must be discarded.
/// </summary>
public sealed class RecoveryException : Exception
{
    public RecoveryException(string message, string? file = null, long? offset = null, Exception? innerException = null)
        : base(file is null ? message : $"{file}{(offset is { } at ? $" at byte {at}" : "")}: {message}", innerException)
    {
        File = file;
        Offset = offset;
        Reason = message;
    }

    /// <summary>What is wrong, without the file and offset that <see cref="Exception.Message"/> starts with.</summary>
    public string Reason { get; }

    /// <summary>The segment or snapshot concerned, if any.</summary>
    public string? File { get; }

    /// <summary>The byte offset of the record or block concerned, if any.</summary>
    public long? Offset { get; }

    /// <summary>
    /// The newer snapshots skipped because their content does not fit (newest first), when
    /// recovery had fallen back from them before it stopped: they are why it needed the older
    /// state and log that stopped it (the message names them too).
    /// </summary>
    public IReadOnlyList<UnfitSnapshot> UnfitSnapshots { get; internal init; } = [];

    /// <summary>Recovery stopped because the log does not reach back to the snapshot (or beginning) it had to start from.</summary>
    internal bool LogDoesNotReachBack { get; init; }
}
