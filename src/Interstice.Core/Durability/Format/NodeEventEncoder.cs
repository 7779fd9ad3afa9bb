using Interstice.Core.Durability.Records;

namespace Interstice.Core.Durability.Format;

/// <summary>Encodes node events (module loaded, module removed) as log records, and as record bodies (a snapshot's catalog holds those).</summary>
internal static class NodeEventEncoder
{
    /// <summary>The frame size of <paramref name="record"/>'s log record.</summary>
    public static int Measure(NodeEventRecord record)
    {
        long size = LogFormat.RecordHeaderSize + (long)record.PayloadSize;
        if (size > LogFormat.MaxBodySize)
        {
            throw new ArgumentException($"the {record.Kind} record of module {record.Module} would take {size} bytes, more than the largest record ({LogFormat.MaxBodySize} bytes)", nameof(record));
        }
        return LogFormat.FrameHeaderSize + (int)size;
    }

    /// <summary>Writes and seals the record into <paramref name="frame"/>, which is exactly <see cref="Measure"/> bytes.</summary>
    public static void Write(Span<byte> frame, NodeEventRecord record)
    {
        var writer = new FieldWriter(frame[LogFormat.FrameHeaderSize..]);
        WriteBody(ref writer, record);
        RecordFrame.Seal(frame);
    }

    /// <summary>The size of the body of <paramref name="record"/>, an event already logged (so its size was checked): its record header and payload.</summary>
    public static int BodySize(NodeEventRecord record) => LogFormat.RecordHeaderSize + record.PayloadSize;

    /// <summary>Writes <paramref name="record"/>'s body (<see cref="BodySize"/> bytes): its record header, then its payload.</summary>
    public static void WriteBody(ref FieldWriter writer, NodeEventRecord record)
    {
        new RecordHeader(record.Kind, record.TransactionId, record.Timestamp).Write(ref writer);
        record.WritePayload(ref writer);
    }
}
