using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

/// <summary>Committed rows and indexes, read through read-only transactions.</summary>
public class TableTests
{
    private readonly Database _database = new();
    private readonly Table _players;

    public TableTests()
    {
        _players = CreatePlayers(_database);
        Seed(_database, _players,
            new TestRow(5, 30, "eve", "red"),
            new TestRow(1, 10, "ann", "blue"),
            new TestRow(3, 30, "cid", "red"),
            new TestRow(2, -5, "bob", "red"),
            new TestRow(4, 20, "dan", "blue"));
    }

    [Fact]
    public void GetByPrimaryKeyReturnsTheStoredRowWithoutCopying()
    {
        using var read = _database.BeginReadOnly();
        Assert.True(read.TryGet(_players, U64(3), out var first));
        Assert.True(read.TryGet(_players, U64(3), out var second));
        Assert.Equal(new TestRow(3, 30, "cid", "red"), TestRow.Decode(first));
        Assert.True(first.Span == second.Span, "both reads return the same stored bytes");
        Assert.False(read.TryGet(_players, U64(9), out _));
        Assert.Equal(5, read.Count(_players));
    }

    [Fact]
    public void ScansComeInPrimaryKeyOrder()
    {
        using var read = _database.BeginReadOnly();
        Assert.Equal([1ul, 2, 3, 4, 5], Ids(read.Scan(_players)));
        Assert.Equal([2ul, 3], Ids(read.Scan(_players, new KeyRange(KeyBound.Inclusive(U64(2)), KeyBound.Exclusive(U64(4))))));
    }

    [Fact]
    public void IndexLookupsFindEqualKeysInPrimaryKeyOrder()
    {
        using var read = _database.BeginReadOnly();
        Assert.Equal([3ul], Ids(read.Find(_players, ByName, Str("cid"))));
        Assert.Empty(Ids(read.Find(_players, ByName, Str("zed"))));
        Assert.Equal([2ul, 3, 5], Ids(read.Find(_players, ByTag, Str("red"))));
        Assert.Equal([3ul, 5], Ids(read.Find(_players, ByScore, I32(30))));
    }

    [Fact]
    public void BTreeRangesComeInKeyThenPrimaryKeyOrderAndHonourBounds()
    {
        using var read = _database.BeginReadOnly();
        Assert.Equal([2ul, 1, 4, 3, 5], Ids(read.Range(_players, ByScore, KeyRange.All)));
        Assert.Equal([1ul, 4, 3, 5], Ids(read.Range(_players, ByScore, new KeyRange(KeyBound.Inclusive(I32(10)), KeyBound.Inclusive(I32(30))))));
        Assert.Equal([4ul], Ids(read.Range(_players, ByScore, new KeyRange(KeyBound.Exclusive(I32(10)), KeyBound.Exclusive(I32(30))))));
        Assert.Equal([2ul, 1], Ids(read.Range(_players, ByScore, new KeyRange(KeyBound.Unbounded, KeyBound.Exclusive(I32(20))))));
        Assert.Equal([3ul, 5], Ids(read.Range(_players, ByScore, new KeyRange(KeyBound.Exclusive(I32(20)), KeyBound.Unbounded))));
        Assert.Empty(Ids(read.Range(_players, ByScore, new KeyRange(KeyBound.Exclusive(I32(int.MaxValue)), KeyBound.Unbounded))));
    }

    [Fact]
    public void RangeOnAHashIndexIsRefused()
    {
        using var read = _database.BeginReadOnly();
        var error = Assert.Throws<ArgumentException>(() => read.Range(_players, ByName, KeyRange.All));
        Assert.Contains("by_name", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => read.Find(_players, 7, Str("x")));
    }

    [Fact]
    public void AppliedUpdatesAndDeletesRefileIndexes()
    {
        using (var write = _database.BeginTransaction())
        {
            write.Update(_players, new TestRow(3, 99, "cyd", "blue").Encode());
            write.Update(_players, new TestRow(1, 10, "ann", "green").Encode());
            Assert.True(write.Delete(_players, U64(5)));
            CommitAndApply(_database, write);
        }
        using var read = _database.BeginReadOnly();
        Assert.Empty(Ids(read.Find(_players, ByName, Str("cid"))));
        Assert.Equal([3ul], Ids(read.Find(_players, ByName, Str("cyd"))));
        Assert.Empty(Ids(read.Find(_players, ByName, Str("eve"))));
        Assert.Equal([2ul], Ids(read.Find(_players, ByTag, Str("red"))));
        Assert.Equal([3ul, 4], Ids(read.Find(_players, ByTag, Str("blue"))));
        Assert.Equal([1ul], Ids(read.Find(_players, ByTag, Str("green"))));
        Assert.Equal([2ul, 1, 4, 3], Ids(read.Range(_players, ByScore, KeyRange.All)));
    }

    [Fact]
    public void NonUniqueHashKeysGrowIntoSetsAndShrinkBack()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        using (var write = database.BeginTransaction())
        {
            for (ulong id = 200; id > 0; id--) Insert(write, table, new TestRow(id, 0, "p" + id, "same"));
            CommitAndApply(database, write);
        }
        using (var read = database.BeginReadOnly())
        {
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), Ids(read.Find(table, ByTag, Str("same"))));
        }
        using (var write = database.BeginTransaction())
        {
            for (ulong id = 1; id < 200; id++) write.Delete(table, U64(id));
            CommitAndApply(database, write);
        }
        using (var read = database.BeginReadOnly())
        {
            Assert.Equal([200ul], Ids(read.Find(table, ByTag, Str("same"))));
            Assert.Equal([200ul], Ids(read.Range(table, ByScore, KeyRange.Exactly(I32(0)))));
        }
    }

    [Fact]
    public void UniqueValuesSwappedInOneTransactionApplyCleanly()
    {
        using (var write = _database.BeginTransaction())
        {
            write.Update(_players, new TestRow(1, 10, "tmp", "blue").Encode());
            write.Update(_players, new TestRow(2, -5, "ann", "red").Encode());
            write.Update(_players, new TestRow(1, 10, "bob", "blue").Encode());
            var changes = CommitAndApply(_database, write);
            Assert.Equal(2, changes.Rows.Length);
        }
        using var read = _database.BeginReadOnly();
        Assert.Equal([2ul], Ids(read.Find(_players, ByName, Str("ann"))));
        Assert.Equal([1ul], Ids(read.Find(_players, ByName, Str("bob"))));
        Assert.Empty(Ids(read.Find(_players, ByName, Str("tmp"))));
    }

    [Fact]
    public void ReadOnlyTransactionsRefuseWrites()
    {
        using var read = _database.BeginReadOnly();
        var error = Assert.Throws<ReadOnlyTransactionException>(() => read.Insert(_players, new TestRow(9, 0, "x").Encode()));
        Assert.Equal("cannot insert into table game.players: the transaction is read-only", error.Message);
        Assert.Throws<ReadOnlyTransactionException>(() => read.Update(_players, new TestRow(1, 0, "x").Encode()));
        Assert.Throws<ReadOnlyTransactionException>(() => read.Delete(_players, U64(1)));
        Assert.Throws<InvalidOperationException>(() => read.Commit());
        Assert.Throws<InvalidOperationException>(() => read.CreateSavepoint());
    }

    [Fact]
    public void ATransactionCannotBeUsedAfterItEnds()
    {
        var read = _database.BeginReadOnly();
        var iterator = read.Scan(_players);
        read.Dispose();
        Assert.Throws<ObjectDisposedException>(() => read.TryGet(_players, U64(1), out _));
        Assert.Throws<ObjectDisposedException>(() => iterator.MoveNext());
        read.Dispose();

        var write = _database.BeginTransaction();
        var writeIterator = write.Scan(_players);
        write.Commit();
        Assert.Throws<ObjectDisposedException>(() => writeIterator.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => write.Insert(_players, new TestRow(9, 0, "x").Encode()));
        Assert.Throws<ObjectDisposedException>(() => write.Rollback());
        write.Dispose();
        writeIterator.Dispose();
    }
}
