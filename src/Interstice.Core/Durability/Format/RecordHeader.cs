namespace Interstice.Core.Durability.Format;

/// <summary>The start of every record body: kind (u8), transaction id (u64), timestamp (i64, microseconds since the Unix epoch).</summary>
internal readonly record struct RecordHeader(LogRecordKind Kind, ulong TransactionId, long Timestamp)
{
    public void Write(ref FieldWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteUInt64(TransactionId);
        writer.WriteInt64(Timestamp);
    }

    /// <summary>Reads a record header; an unknown kind is malformed.</summary>
    public static RecordHeader Read(ref FieldReader reader)
    {
        byte kind = reader.ReadByte();
        if (kind is < (byte)LogRecordKind.Transaction or > (byte)LogRecordKind.ModuleRemoved)
        {
            throw new MalformedDataException($"unknown record kind {kind}", 0);
        }
        return new RecordHeader((LogRecordKind)kind, reader.ReadUInt64(), reader.ReadInt64());
    }
}
