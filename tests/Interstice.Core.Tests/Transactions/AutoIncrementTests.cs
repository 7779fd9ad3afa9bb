using System.Buffers.Binary;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

public class AutoIncrementTests
{
    private readonly Database _database = new();
    private readonly Table _items;

    public AutoIncrementTests() => _items = CreatePlayers(_database, "shop", "items", autoIncrement: true);

    private ulong InsertGenerated(Transaction write, string name) =>
        TestRow.Decode(write.Insert(_items, new TestRow(0, 0, name).Encode())).Id;

    [Fact]
    public void ZeroIsReplacedByTheNextValueAndTheStoredRowIsReturned()
    {
        using var write = _database.BeginTransaction();
        Assert.Equal(1ul, InsertGenerated(write, "a"));
        Assert.Equal(2ul, InsertGenerated(write, "b"));
        Assert.Equal(new TestRow(2, 0, "b"), Get(write, _items, 2));
        var changes = write.Commit();
        var sequence = Assert.Single(changes.Sequences.ToArray());
        Assert.Equal(_items, sequence.Table);
        Assert.Equal(3ul, sequence.NextValue);
    }

    [Fact]
    public void ValuesACommittedTransactionUsedAreNeverReusedEvenAfterDeletes()
    {
        using (var write = _database.BeginTransaction())
        {
            InsertGenerated(write, "a");
            InsertGenerated(write, "b");
            InsertGenerated(write, "c");
            CommitAndApply(_database, write);
        }
        using (var write = _database.BeginTransaction())
        {
            for (ulong id = 1; id <= 3; id++) Assert.True(write.Delete(_items, U64(id)));
            CommitAndApply(_database, write);
        }
        using (var write = _database.BeginTransaction())
        {
            Assert.Equal(4ul, InsertGenerated(write, "d"));
            // Rolled back: 4 was never committed...
        }
        using (var write = _database.BeginTransaction())
        {
            // ...so it may be handed out again.
            Assert.Equal(4ul, InsertGenerated(write, "e"));
            CommitAndApply(_database, write);
        }
        using var read = _database.BeginReadOnly();
        Assert.Equal(5ul, read.NextSequenceValue(_items));
    }

    [Fact]
    public void AnExplicitValueIsKeptAndTheSequenceMovesPastIt()
    {
        using var write = _database.BeginTransaction();
        Insert(write, _items, new TestRow(10, 0, "ten"));
        Assert.Equal(11ul, InsertGenerated(write, "next"));
        Insert(write, _items, new TestRow(5, 0, "five"));
        Assert.Equal(12ul, InsertGenerated(write, "after"));
    }

    [Fact]
    public void ASavepointRollbackRestoresTheSequence()
    {
        using var write = _database.BeginTransaction();
        InsertGenerated(write, "a");
        var savepoint = write.CreateSavepoint();
        InsertGenerated(write, "b");
        write.RollbackTo(savepoint);
        Assert.Equal(2ul, InsertGenerated(write, "c"));
    }

    [Fact]
    public void AFailedInsertDoesNotMoveTheSequence()
    {
        using var write = _database.BeginTransaction();
        InsertGenerated(write, "a");
        Assert.Throws<UniqueViolationException>(() => InsertGenerated(write, "a"));
        Assert.Equal(2ul, InsertGenerated(write, "b"));
    }

    [Fact]
    public void ASequenceThatNoLongerFitsItsColumnIsExhausted()
    {
        var database = new Database();
        var layout = new ByteIdLayout();
        var table = database.CreateTable("m", new TableDefinition("tiny", "id", KeyType.U8, layout, null, new AutoIncrementDefinition("id", KeyType.U8)));
        using var write = database.BeginTransaction();
        Assert.Equal(1, write.Insert(table, [9, 0]).Span[1]);
        Assert.Equal(2, write.Insert(table, [9, 0, 7, 7]).Span[1]);
        write.Insert(table, [9, 254]);
        Assert.Equal(255, write.Insert(table, [9, 0]).Span[1]);
        var error = Assert.Throws<SequenceExhaustedException>(() => write.Insert(table, [9, 0]));
        Assert.Equal("the auto_inc sequence of m.tiny.id (u8) is exhausted: no value is left that fits the column", error.Message);
        Assert.Equal(0ul, write.NextSequenceValue(table));
    }

    [Fact]
    public void AnAutoIncrementColumnOutsideTheRowIsAnInvalidRow()
    {
        var database = new Database();
        var table = database.CreateTable("m", new TableDefinition("tiny", "id", KeyType.U8, new ByteIdLayout(), null, new AutoIncrementDefinition("id", KeyType.U8)));
        using var write = database.BeginTransaction();
        var error = Assert.Throws<InvalidRowException>(() => write.Insert(table, [1]));
        Assert.Contains("outside the 1-byte row", error.Message);
    }

    [Fact]
    public void SignedColumnsAndSnapshotRestorePreserveTheSequence()
    {
        var database = new Database();
        var table = database.CreateTable("m", new TableDefinition("signed", "id", KeyType.I16, new I16IdLayout(), null, new AutoIncrementDefinition("id", KeyType.I16)));
        using (var write = database.BeginTransaction())
        {
            var negative = new byte[2];
            BinaryPrimitives.WriteInt16LittleEndian(negative, -5);
            write.Insert(table, negative);
            Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(write.Insert(table, new byte[2]).Span));
            CommitAndApply(database, write);
        }
        // Durability restores a snapshot: rows, then the sequence value.
        var restored = new Database();
        var copy = restored.CreateTable("m", table.Definition);
        var builder = new ChangeSetBuilder();
        using (var read = database.BeginReadOnly())
        {
            foreach (var row in read.Scan(table)) builder.Insert(copy, row.ToArray());
            builder.SetSequence(copy, read.NextSequenceValue(table));
        }
        restored.Apply(builder.Build());
        using var again = restored.BeginTransaction();
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(again.Insert(copy, new byte[2]).Span));
        Assert.Equal(3, again.Count(copy));
    }

    /// <summary>Rows are [tag][id u8]...: the id sits at offset 1.</summary>
    private sealed class ByteIdLayout : ITableLayout
    {
        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key) => key.WriteU8(row[1]);
        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key) => throw new InvalidOperationException();
        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 1;
    }

    private sealed class I16IdLayout : ITableLayout
    {
        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key) => key.WriteI16(BinaryPrimitives.ReadInt16LittleEndian(row));
        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key) => throw new InvalidOperationException();
        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 0;
    }
}
