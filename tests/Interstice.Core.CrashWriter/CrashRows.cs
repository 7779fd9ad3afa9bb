using System.Buffers.Binary;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Records;
using Interstice.Core.Storage;

namespace Interstice.Core.CrashWriter;

/// <summary>
/// The crash test's one table, <c>crash.rows</c>: row = id (u64 LE) then a payload that is a
/// function of the id, so that a recovered row can be checked byte for byte.
/// </summary>
public static class CrashRows
{
    public const string Module = "crash";
    public const string Table = "rows";

    public static byte[] Encode(ulong id)
    {
        var row = new byte[8 + (int)(id % 61)];
        BinaryPrimitives.WriteUInt64LittleEndian(row, id);
        for (int i = 8; i < row.Length; i++) row[i] = (byte)(id * 31 + (ulong)i);
        return row;
    }

    public static ulong Id(ReadOnlySpan<byte> row) => BinaryPrimitives.ReadUInt64LittleEndian(row);

    public static TableDefinition Definition() => new(Table, "id", KeyType.U64, new Layout());

    private sealed class Layout : ITableLayout
    {
        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key)
        {
            if (row.Length < 8) throw new InvalidRowException(Module + "." + Table, $"a row needs 8 bytes, this one has {row.Length}");
            key.WriteU64(BinaryPrimitives.ReadUInt64LittleEndian(row));
        }

        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key) => throw new ArgumentOutOfRangeException(nameof(index));

        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 0;
    }

    /// <summary>Creates the table when its module's load is replayed.</summary>
    public sealed class Handler : IRecoveryHandler
    {
        public void ModuleLoaded(Database database, ModuleLoadedRecord record) => database.CreateTable(record.Module, Definition());

        public void ModuleUnloaded(Database database, ModuleUnloadedRecord record) => database.DropModule(record.Module);

        public void TableCreated(Database database, TableCreatedRecord record) => throw new NotSupportedException("the crash test creates no table apart from its module");

        public void TableDropped(Database database, TableDroppedRecord record) => throw new NotSupportedException("the crash test drops no table");
    }
}
