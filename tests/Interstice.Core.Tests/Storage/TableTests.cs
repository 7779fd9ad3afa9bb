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
    public void AnUpdateThatKeepsEveryKeyIsWhatThePrimaryKeyAndEveryIndexReturnAfterwards()
    {
        // Rows 3 and 5 share tag and score: the tag's hash entry is a row set, the score's a b-tree run.
        var updated = new TestRow(3, 30, "cid", "red");
        var longer = updated.Encode().Concat(new byte[] { 7, 7 }).ToArray();
        using (var write = _database.BeginTransaction())
        {
            // Same id, name, score and tag; the row's bytes differ after the tag (the layout reads nothing there).
            write.Update(_players, longer);
            // Row 4 alone under its tag and score, a single entry in each index.
            write.Update(_players, new TestRow(4, 20, "dan", "blue").Encode().Concat(new byte[] { 9 }).ToArray());
            CommitAndApply(_database, write);
        }
        _players.CheckInvariants();
        using var read = _database.BeginReadOnly();
        Assert.True(read.TryGet(_players, U64(3), out var byKey));
        Assert.Equal(longer, byKey.ToArray());
        Assert.Equal(longer, Single(read.Find(_players, ByName, Str("cid"))));
        Assert.Equal(longer, FindRow(read.Find(_players, ByTag, Str("red")), 3));
        Assert.Equal(longer, FindRow(read.Range(_players, ByScore, KeyRange.Exactly(I32(30))), 3));
        Assert.Equal(longer, FindRow(read.Scan(_players), 3));
        Assert.Equal(9, Single(read.Find(_players, ByName, Str("dan")))[^1]);
        Assert.Equal(9, FindRow(read.Find(_players, ByTag, Str("blue")), 4)[^1]);
        Assert.Equal(9, Single(read.Range(_players, ByScore, KeyRange.Exactly(I32(20))))[^1]);
    }

    [Fact]
    public void AFrozenViewOfThePrimaryKeyTreeKeepsTheRowsOfItsFreezeThroughUpdatesAndDeletes()
    {
        var view = _players.Rows.Freeze();
        var before = Encoded(view);
        // Updates alone first: replacing a row must copy the leaf the view shares (no delete or
        // insert in the same change set has copied it already).
        using (var write = _database.BeginTransaction())
        {
            write.Update(_players, new TestRow(3, 31, "cid", "red").Encode());
            write.Update(_players, new TestRow(1, 10, "ann", "blue").Encode().Concat(new byte[] { 1 }).ToArray());
            CommitAndApply(_database, write);
        }
        Assert.Equal(before, Encoded(view));
        using (var write = _database.BeginTransaction())
        {
            Assert.True(write.Delete(_players, U64(5)));
            Insert(write, _players, new TestRow(6, 1, "fay"));
            write.Update(_players, new TestRow(3, 32, "cyd", "red").Encode());
            CommitAndApply(_database, write);
        }
        Assert.Equal(before, Encoded(view));
        Assert.Equal([1ul, 2, 3, 4, 5], before.Select(r => TestRow.Decode(r).Id));
        view.Release();
        _players.CheckInvariants();
        using var read = _database.BeginReadOnly();
        Assert.Equal([1ul, 2, 3, 4, 6], Ids(read.Scan(_players)));
    }

    /// <summary>Copies of the rows a view holds, in order.</summary>
    private static List<byte[]> Encoded(BPlusTree<byte[]>.FrozenView view)
    {
        var rows = new List<byte[]>();
        var entries = view.GetEnumerator();
        while (entries.MoveNext()) rows.Add(entries.Current.ToArray());
        return rows;
    }

    private static byte[] Single(RowIterator rows) => Assert.Single(AllRows(rows));

    private static byte[] FindRow(RowIterator rows, ulong id) => Assert.Single(AllRows(rows), r => TestRow.Decode(r).Id == id);

    private static List<byte[]> AllRows(RowIterator rows)
    {
        var all = new List<byte[]>();
        while (rows.MoveNext()) all.Add(rows.Current.ToArray());
        return all;
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
    public void PointLookupsFollowThousandsOfRowsThroughInsertsUpdatesAndDeletes()
    {
        // Enough rows that the hash tables grow several times and shrink back through deletes.
        var random = new Random(11);
        var database = new Database();
        var table = CreatePlayers(database);
        var model = new Dictionary<ulong, TestRow>();
        for (int commit = 0; commit < 60; commit++)
        {
            using var write = database.BeginTransaction();
            bool shrinking = commit >= 40;
            for (int step = 0; step < 300; step++)
            {
                ulong id = (ulong)random.Next(1, 6000);
                // Names are unique by id, so that updates may rename without collisions.
                var row = new TestRow(id, random.Next(-50, 50), $"p{id}-{random.Next(3)}", "t" + random.Next(40));
                int op = random.Next(10);
                if (!model.ContainsKey(id) && !shrinking)
                {
                    Insert(write, table, row);
                    model[id] = row;
                }
                else if (model.ContainsKey(id) && (op < 4 || shrinking))
                {
                    Assert.True(write.Delete(table, U64(id)));
                    model.Remove(id);
                }
                else if (model.ContainsKey(id))
                {
                    write.Update(table, row.Encode());
                    model[id] = row;
                }
            }
            CommitAndApply(database, write);
            if (commit % 10 == 9) table.CheckInvariants();
            using var read = database.BeginReadOnly();
            for (int probe = 0; probe < 200; probe++)
            {
                ulong id = (ulong)random.Next(1, 6000);
                Assert.Equal(model.GetValueOrDefault(id), Get(read, table, id));
                var name = $"p{id}-{random.Next(3)}";
                Assert.Equal(model.Values.Where(r => r.Name == name).Select(r => r.Id), Ids(read.Find(table, ByName, Str(name))));
            }
            var tag = "t" + random.Next(40);
            Assert.Equal(model.Values.Where(r => r.Tag == tag).Select(r => r.Id).Order(), Ids(read.Find(table, ByTag, Str(tag))));
        }
        table.CheckInvariants();
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
