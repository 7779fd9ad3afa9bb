using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

public class UniquenessTests
{
    private readonly Database _database = new();
    private readonly Table _players;

    public UniquenessTests()
    {
        _players = CreatePlayers(_database);
        Seed(_database, _players, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"));
    }

    [Fact]
    public void InsertingACommittedPrimaryKeyNamesTableColumnAndKey()
    {
        using var write = _database.BeginTransaction();
        var error = Assert.Throws<UniqueViolationException>(() => Insert(write, _players, new TestRow(2, 0, "new")));
        Assert.Equal("unique violation in table game.players: a row with primary key id = 2 already exists", error.Message);
        Assert.Equal("game.players", error.Table);
        Assert.Equal(UniqueViolationException.PrimaryKeyIndex, error.Index);
        Assert.Equal("2", error.Key);
    }

    [Fact]
    public void InsertingAPrimaryKeyTheTransactionInsertedFails()
    {
        using var write = _database.BeginTransaction();
        Insert(write, _players, new TestRow(3, 0, "cid"));
        Assert.Throws<UniqueViolationException>(() => Insert(write, _players, new TestRow(3, 0, "other")));
    }

    [Fact]
    public void AUniqueIndexKeyTakenByACommittedRowIsRefusedOnInsertAndUpdate()
    {
        using var write = _database.BeginTransaction();
        var error = Assert.Throws<UniqueViolationException>(() => Insert(write, _players, new TestRow(3, 0, "ann")));
        Assert.Equal("unique violation in table game.players: unique index by_name already has a row with name = \"ann\"", error.Message);
        Assert.Equal("by_name", error.Index);
        Assert.Equal("name", error.Column);
        Assert.Equal("\"ann\"", error.Key);
        Assert.Throws<UniqueViolationException>(() => write.Update(_players, new TestRow(2, 20, "ann").Encode()));
    }

    [Fact]
    public void AUniqueIndexKeyTakenInTheOverlayIsRefused()
    {
        using var write = _database.BeginTransaction();
        Insert(write, _players, new TestRow(3, 0, "cid"));
        Assert.Throws<UniqueViolationException>(() => Insert(write, _players, new TestRow(4, 0, "cid")));
        write.Update(_players, new TestRow(1, 10, "dan").Encode());
        Assert.Throws<UniqueViolationException>(() => write.Update(_players, new TestRow(2, 20, "dan").Encode()));
    }

    [Fact]
    public void KeysFreedByDeleteOrUpdateInTheTransactionCanBeReused()
    {
        using var write = _database.BeginTransaction();
        Assert.True(write.Delete(_players, U64(1)));
        Insert(write, _players, new TestRow(1, 11, "ann"));
        write.Update(_players, new TestRow(2, 20, "robert").Encode());
        Insert(write, _players, new TestRow(3, 30, "bob"));
        Assert.True(write.Delete(_players, U64(3)));
        Insert(write, _players, new TestRow(4, 40, "bob"));
        var changes = write.Commit();
        _database.Apply(changes);
        using var read = _database.BeginReadOnly();
        Assert.Equal([1ul], Ids(read.Find(_players, ByName, Str("ann"))));
        Assert.Equal([4ul], Ids(read.Find(_players, ByName, Str("bob"))));
        Assert.Equal(11, Get(read, _players, 1)!.Score);
    }

    [Fact]
    public void UpdatingARowWithItsOwnUniqueKeyIsAllowed()
    {
        using var write = _database.BeginTransaction();
        write.Update(_players, new TestRow(1, 99, "ann").Encode());
        write.Update(_players, new TestRow(1, 98, "ann").Encode());
        Assert.Equal(98, Get(write, _players, 1)!.Score);
    }

    [Fact]
    public void AUniqueKeyAnUpdateKeepsStaysItsRowsAlone()
    {
        // The kept key is not checked again: it must still be refused to every other row.
        using var write = _database.BeginTransaction();
        write.Update(_players, new TestRow(1, 99, "ann").Encode());
        Assert.Throws<UniqueViolationException>(() => write.Update(_players, new TestRow(2, 20, "ann").Encode()));
        write.Update(_players, new TestRow(1, 98, "ann").Encode());
        Assert.Throws<UniqueViolationException>(() => Insert(write, _players, new TestRow(3, 0, "ann")));
        // A key moved away and back is checked again: another row took it meanwhile.
        write.Update(_players, new TestRow(1, 98, "amy").Encode());
        write.Update(_players, new TestRow(2, 20, "ann").Encode());
        Assert.Throws<UniqueViolationException>(() => write.Update(_players, new TestRow(1, 98, "ann").Encode()));
        Assert.Equal(["amy", "ann"], Rows(write.Scan(_players)).Select(row => row.Name));
    }

    [Fact]
    public void AnUpdateThatKeepsItsUniqueKeysProbesNoIndexForThem()
    {
        // Counted by the primary-key reads: a unique check reads the key of the row it finds.
        var unique = CountingTable(unique: true);
        var notUnique = CountingTable(unique: false);
        Assert.Equal(PrimaryKeyReadsOfAnUpdate(notUnique), PrimaryKeyReadsOfAnUpdate(unique));
    }

    private (Database Database, Table Table, CountingLayout Layout) CountingTable(bool unique)
    {
        var database = new Database();
        var layout = new CountingLayout(new TestLayout("game.counted", ["name"]));
        var table = database.CreateTable("game", new TableDefinition("counted", "id", KeyType.U64, layout, [Index("by_name", "name", IndexKind.Hash, unique)], null));
        Seed(database, table, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"));
        return (database, table, layout);
    }

    private static int PrimaryKeyReadsOfAnUpdate((Database Database, Table Table, CountingLayout Layout) counted)
    {
        using var write = counted.Database.BeginTransaction();
        counted.Layout.PrimaryKeyReads = 0;
        write.Update(counted.Table, new TestRow(1, 99, "ann").Encode());
        write.Update(counted.Table, new TestRow(1, 98, "ann").Encode());
        return counted.Layout.PrimaryKeyReads;
    }

    private sealed class CountingLayout(ITableLayout inner) : ITableLayout
    {
        public int PrimaryKeyReads;

        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key)
        {
            PrimaryKeyReads++;
            inner.WritePrimaryKey(row, ref key);
        }

        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key) => inner.WriteIndexKey(index, row, ref key);

        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => inner.GetAutoIncrementOffset(row);
    }

    [Fact]
    public void AFailedWriteChangesNothing()
    {
        using var write = _database.BeginTransaction();
        Insert(write, _players, new TestRow(3, 30, "cid"));
        Assert.Throws<UniqueViolationException>(() => write.Update(_players, new TestRow(3, 31, "ann").Encode()));
        Assert.Equal(new TestRow(3, 30, "cid"), Get(write, _players, 3));
        Assert.Equal([3ul], Ids(write.Find(_players, ByName, Str("cid"))));
        Assert.Equal(3, write.Count(_players));
        var changes = write.Commit();
        Assert.Equal(1, changes.Rows.Length);
    }

    [Fact]
    public void UpdateOfAMissingOrDeletedRowIsNotFound()
    {
        using var write = _database.BeginTransaction();
        var error = Assert.Throws<RowNotFoundException>(() => write.Update(_players, new TestRow(9, 0, "x").Encode()));
        Assert.Equal("table game.players has no row with id = 9", error.Message);
        write.Delete(_players, U64(1));
        Assert.Throws<RowNotFoundException>(() => write.Update(_players, new TestRow(1, 0, "ann").Encode()));
        Assert.False(write.Delete(_players, U64(1)));
        Assert.False(write.Delete(_players, U64(9)));
    }

    [Fact]
    public void AUniqueBTreeIndexIsCheckedToo()
    {
        var database = new Database();
        var table = Create(database, "m", "t", false, Index("by_score", "score", IndexKind.BTree, unique: true));
        Seed(database, table, new TestRow(1, 5, "a"));
        using var write = database.BeginTransaction();
        var error = Assert.Throws<UniqueViolationException>(() => Insert(write, table, new TestRow(2, 5, "b")));
        Assert.Equal("5", error.Key);
        Insert(write, table, new TestRow(2, 6, "b"));
        Assert.Throws<UniqueViolationException>(() => Insert(write, table, new TestRow(3, 6, "c")));
        write.Delete(table, U64(1));
        Insert(write, table, new TestRow(3, 5, "c"));
        Assert.Equal([3ul, 2], Ids(write.Range(table, 0, KeyRange.All)));
    }

    [Fact]
    public void RowsTheLayoutCannotReadAreRefusedWithoutChange()
    {
        using var write = _database.BeginTransaction();
        var error = Assert.Throws<InvalidRowException>(() => write.Insert(_players, [1, 2, 3]));
        Assert.Equal("game.players", error.Table);
        Assert.Contains("invalid row for table game.players", error.Message);
        var truncated = new TestRow(7, 0, "long name").Encode()[..18];
        Assert.Throws<InvalidRowException>(() => write.Update(_players, truncated));
        Assert.Equal(2, write.Count(_players));
        Assert.True(write.Commit().IsEmpty);
    }
}
