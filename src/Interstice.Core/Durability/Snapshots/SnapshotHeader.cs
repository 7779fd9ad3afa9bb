using System.Buffers.Binary;
using Interstice.Core.Durability.Format;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// The 40 bytes at the start of a snapshot: magic "INTSSNAP", version u32, flags u32 (0), the id
/// of the last transaction the snapshot contains u64, that transaction's timestamp (i64,
/// microseconds since the Unix epoch), reserved u32 (0), and the CRC-32C of the 36 bytes before it.
/// </summary>
internal readonly record struct SnapshotHeader(ulong LastTransactionId, long Timestamp)
{
    public void Write(Span<byte> destination)
    {
        var header = destination[..SnapshotFormat.HeaderSize];
        header.Clear();
        SnapshotFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], SnapshotFormat.Version);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], LastTransactionId);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], Timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out SnapshotHeader header, out string reason)
    {
        header = default;
        if (data.Length < SnapshotFormat.HeaderSize)
        {
            reason = $"the snapshot header needs {SnapshotFormat.HeaderSize} bytes, the file has {data.Length}";
            return false;
        }
        if (!data[..8].SequenceEqual(SnapshotFormat.Magic))
        {
            reason = "not a snapshot (wrong magic bytes)";
            return false;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[36..]) != Crc32C.Compute(data[..36]))
        {
            reason = "snapshot header checksum mismatch";
            return false;
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (version != SnapshotFormat.Version)
        {
            reason = $"snapshot format version {version} is not supported (this build reads version {SnapshotFormat.Version})";
            return false;
        }
        header = new SnapshotHeader(BinaryPrimitives.ReadUInt64LittleEndian(data[16..]), BinaryPrimitives.ReadInt64LittleEndian(data[24..]));
        reason = "";
        return true;
    }
}
