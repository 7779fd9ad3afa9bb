using System.Buffers.Binary;
using Interstice.Core.Storage;

namespace Interstice.Bench.Storage;

/// <summary>
/// The benchmark tables' rows: id u64 LE | score i32 LE | name (u16 LE length, UTF-8). The
/// layout reads keys straight from the bytes, as the node's codec-backed layout
/// (Interstice.Core.Modules.RowLayout) does.
/// </summary>
internal static class BenchRow
{
    public static byte[] Encode(ulong id, int score, ReadOnlySpan<byte> name)
    {
        var row = new byte[14 + name.Length];
        Write(row, id, score, name);
        return row;
    }

    public static int Write(Span<byte> row, ulong id, int score, ReadOnlySpan<byte> name)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(row, id);
        BinaryPrimitives.WriteInt32LittleEndian(row[8..], score);
        BinaryPrimitives.WriteUInt16LittleEndian(row[12..], (ushort)name.Length);
        name.CopyTo(row[14..]);
        return 14 + name.Length;
    }

    /// <summary>Primary key id; index 0 on name, index 1 on score.</summary>
    public sealed class Layout : ITableLayout
    {
        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key) => key.WriteU64(BinaryPrimitives.ReadUInt64LittleEndian(row));

        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key)
        {
            if (index == 0) key.WriteUtf8(row.Slice(14, BinaryPrimitives.ReadUInt16LittleEndian(row[12..])));
            else key.WriteI32(BinaryPrimitives.ReadInt32LittleEndian(row[8..]));
        }

        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 0;
    }

    public static TableDefinition Definition(string name, bool nameIndex, IndexKind scoreKind = IndexKind.BTree, bool autoIncrement = true)
    {
        var indexes = new List<IndexDefinition>();
        if (nameIndex)
        {
            indexes.Add(new IndexDefinition("by_name", "name", KeyType.String, IndexKind.Hash, isUnique: true));
            indexes.Add(new IndexDefinition("by_score", "score", KeyType.I32, scoreKind, isUnique: false));
        }
        return new TableDefinition(name, "id", KeyType.U64, new Layout(), indexes,
            autoIncrement ? new AutoIncrementDefinition("id", KeyType.U64) : null);
    }
}
