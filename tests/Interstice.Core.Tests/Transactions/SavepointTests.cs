using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

public class SavepointTests
{
    private readonly Database _database = new();
    private readonly Table _players;
    private readonly Table _items;

    public SavepointTests()
    {
        _players = CreatePlayers(_database);
        _items = CreatePlayers(_database, "shop", "items", autoIncrement: true);
        Seed(_database, _players, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"));
    }

    [Fact]
    public void AFailedNestedCallIsUndoneAndTheCallerCarriesOn()
    {
        using var write = _database.BeginTransaction();
        write.Update(_players, new TestRow(1, 11, "ann").Encode());

        var nested = write.CreateSavepoint();
        write.Update(_players, new TestRow(1, 12, "ann2").Encode());
        write.Delete(_players, U64(2));
        Insert(write, _players, new TestRow(3, 30, "cid"));
        Insert(write, _items, new TestRow(0, 0, "hat"));
        write.RollbackTo(nested);

        Assert.Equal(new TestRow(1, 11, "ann"), Get(write, _players, 1));
        Assert.Equal(new TestRow(2, 20, "bob"), Get(write, _players, 2));
        Assert.Null(Get(write, _players, 3));
        Assert.Equal(2, write.Count(_players));
        Assert.Equal(0, write.Count(_items));
        Assert.Equal([1ul], Ids(write.Find(_players, ByName, Str("ann"))));
        Assert.Empty(Ids(write.Find(_players, ByName, Str("ann2"))));
        Assert.Equal([1ul, 2], Ids(write.Range(_players, ByScore, KeyRange.All)));
        Assert.Equal(1ul, write.NextSequenceValue(_items));

        // The caller carries on and may reuse what the failed call freed.
        Insert(write, _players, new TestRow(3, 33, "cid"));
        var changes = write.Commit();
        Assert.Equal(2, changes.Rows.Length);
        Assert.Equal(0, changes.Sequences.Length);
    }

    [Fact]
    public void NestedSavepointsRollBackIndependently()
    {
        using var write = _database.BeginTransaction();
        var outer = write.CreateSavepoint();
        Insert(write, _players, new TestRow(3, 30, "cid"));
        var inner = write.CreateSavepoint();
        Insert(write, _players, new TestRow(4, 40, "dan"));
        write.Update(_players, new TestRow(3, 31, "cid").Encode());
        write.RollbackTo(inner);
        Assert.Equal(new TestRow(3, 30, "cid"), Get(write, _players, 3));
        Assert.Null(Get(write, _players, 4));

        var again = write.CreateSavepoint();
        Insert(write, _players, new TestRow(5, 50, "eve"));
        write.Release(again);
        Assert.NotNull(Get(write, _players, 5));
        write.RollbackTo(outer);
        Assert.Equal([1ul, 2], Ids(write.Scan(_players)));
        Assert.True(write.Commit().IsEmpty);
    }

    [Fact]
    public void ReleasedWritesStayAndCommit()
    {
        using var write = _database.BeginTransaction();
        var savepoint = write.CreateSavepoint();
        write.Delete(_players, U64(1));
        write.Release(savepoint);
        var changes = write.Commit();
        Assert.Equal(1, changes.Rows.Length);
    }

    [Fact]
    public void SavepointsCloseInnermostFirst()
    {
        using var write = _database.BeginTransaction();
        var outer = write.CreateSavepoint();
        var inner = write.CreateSavepoint();
        Assert.Equal(1, outer.Depth);
        Assert.Equal(2, inner.Depth);
        var error = Assert.Throws<InvalidOperationException>(() => write.RollbackTo(outer));
        Assert.Contains("innermost first", error.Message);
        write.Release(inner);
        Assert.Throws<InvalidOperationException>(() => write.Release(inner));
        Assert.Throws<InvalidOperationException>(() => write.Commit());
        write.Release(outer);
        write.Commit();
    }

    [Fact]
    public void TopLevelFailureDiscardsEverything()
    {
        using (var write = _database.BeginTransaction())
        {
            write.CreateSavepoint();
            Insert(write, _players, new TestRow(3, 30, "cid"));
            write.Update(_players, new TestRow(1, 0, "zed").Encode());
            // Disposed without commit: the node's reducer trapped.
        }
        using var read = _database.BeginReadOnly();
        Assert.Equal([1ul, 2], Ids(read.Scan(_players)));
        using var next = _database.BeginTransaction();
        Assert.Equal(new TestRow(1, 10, "ann"), Get(next, _players, 1));
    }

    [Fact]
    public void IteratorsOpenedInsideARolledBackCallAreInvalid()
    {
        using var write = _database.BeginTransaction();
        var before = write.Scan(_players);
        var savepoint = write.CreateSavepoint();
        var inside = write.Scan(_players);
        Insert(write, _players, new TestRow(3, 30, "cid"));
        write.RollbackTo(savepoint);
        var error = Assert.Throws<InvalidOperationException>(() => inside.MoveNext());
        Assert.Contains("rolled back", error.Message);
        Assert.Equal([1ul, 2], Ids(before));
    }

    [Fact]
    public void RepeatedWritesToOneRowUnderNestedSavepointsRestoreEachLevel()
    {
        using var write = _database.BeginTransaction();
        write.Update(_players, new TestRow(1, 100, "ann").Encode());
        var outer = write.CreateSavepoint();
        for (int i = 0; i < 10; i++) write.Update(_players, new TestRow(1, 200 + i, "ann").Encode());
        var inner = write.CreateSavepoint();
        for (int i = 0; i < 10; i++) write.Update(_players, new TestRow(1, 300 + i, "ann" + i).Encode());
        write.RollbackTo(inner);
        Assert.Equal(new TestRow(1, 209, "ann"), Get(write, _players, 1));
        var again = write.CreateSavepoint();
        write.Update(_players, new TestRow(1, 400, "x").Encode());
        write.Release(again);
        write.Update(_players, new TestRow(1, 500, "y").Encode());
        write.RollbackTo(outer);
        Assert.Equal(new TestRow(1, 100, "ann"), Get(write, _players, 1));
        Assert.Equal([1ul], Ids(write.Find(_players, ByName, Str("ann"))));
        Assert.Empty(Ids(write.Find(_players, ByName, Str("y"))));
    }
}
