using System.Buffers.Binary;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Support;

/// <summary>Reads keys out of <see cref="TestRow"/> encodings: primary key id, indexes on score, name or tag.</summary>
public sealed class TestLayout(string table, IReadOnlyList<string> indexColumns) : ITableLayout
{
    public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key)
    {
        Check(row);
        key.WriteU64(BinaryPrimitives.ReadUInt64LittleEndian(row));
    }

    public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key)
    {
        Check(row);
        switch (indexColumns[index])
        {
            case "score": key.WriteI32(BinaryPrimitives.ReadInt32LittleEndian(row[8..])); break;
            case "name": key.WriteUtf8(TestRow.NameBytes(row)); break;
            case "tag": key.WriteUtf8(TestRow.TagBytes(row)); break;
            default: throw new InvalidOperationException($"no column {indexColumns[index]}");
        }
    }

    public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 0;

    private void Check(ReadOnlySpan<byte> row)
    {
        try
        {
            TestRow.TagBytes(row);
        }
        catch (FormatException e)
        {
            throw new InvalidRowException(table, e.Message);
        }
    }
}
