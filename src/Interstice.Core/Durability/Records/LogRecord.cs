using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Records;

/// <summary>
/// One record of the commit log, decoded (for inspection, verification and tests; replay reads
/// records without building these objects). Every record carries a transaction id, strictly
/// increasing along the log, and a timestamp in microseconds since the Unix epoch.
/// </summary>
public abstract class LogRecord
{
    private protected LogRecord(ulong transactionId, long timestamp)
    {
        TransactionId = transactionId;
        Timestamp = timestamp;
    }

    public abstract LogRecordKind Kind { get; }

    public ulong TransactionId { get; }

    /// <summary>Microseconds since the Unix epoch.</summary>
    public long Timestamp { get; }
}
