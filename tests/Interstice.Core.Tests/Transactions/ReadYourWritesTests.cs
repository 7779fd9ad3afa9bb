using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

/// <summary>Every read path of a write transaction sees its own writes, in committed-read order.</summary>
public class ReadYourWritesTests
{
    private readonly Database _database = new();
    private readonly Table _players;

    public ReadYourWritesTests()
    {
        _players = CreatePlayers(_database);
        Seed(_database, _players,
            new TestRow(10, 100, "ann", "red"),
            new TestRow(20, 200, "bob", "red"),
            new TestRow(30, 300, "cid", "blue"));
    }

    private Transaction WriteSome()
    {
        var write = _database.BeginTransaction();
        Insert(write, _players, new TestRow(15, 250, "dan", "red"));
        write.Update(_players, new TestRow(10, 350, "ann", "blue").Encode());
        write.Delete(_players, U64(20));
        Insert(write, _players, new TestRow(5, 100, "eve", "red"));
        return write;
    }

    [Fact]
    public void GetAndCount()
    {
        using var write = WriteSome();
        Assert.Equal(new TestRow(15, 250, "dan", "red"), Get(write, _players, 15));
        Assert.Equal(new TestRow(10, 350, "ann", "blue"), Get(write, _players, 10));
        Assert.Null(Get(write, _players, 20));
        Assert.Equal(new TestRow(30, 300, "cid", "blue"), Get(write, _players, 30));
        Assert.Equal(4, write.Count(_players));
    }

    [Fact]
    public void ScansMergeInPrimaryKeyOrder()
    {
        using var write = WriteSome();
        Assert.Equal([5ul, 10, 15, 30], Ids(write.Scan(_players)));
        Assert.Equal([10ul, 15], Ids(write.Scan(_players, new KeyRange(KeyBound.Exclusive(U64(5)), KeyBound.Exclusive(U64(30))))));
        Assert.Equal(350, Rows(write.Scan(_players))[1].Score);
    }

    [Fact]
    public void HashLookupsSeeInsertedMovedAndDeletedRows()
    {
        using var write = WriteSome();
        Assert.Equal([15ul], Ids(write.Find(_players, ByName, Str("dan"))));
        Assert.Empty(Ids(write.Find(_players, ByName, Str("bob"))));
        Assert.Equal([5ul, 15], Ids(write.Find(_players, ByTag, Str("red"))));
        Assert.Equal([10ul, 30], Ids(write.Find(_players, ByTag, Str("blue"))));
    }

    [Fact]
    public void BTreeReadsSeeRowsAtTheirNewKeys()
    {
        using var write = WriteSome();
        Assert.Equal([5ul, 15, 30, 10], Ids(write.Range(_players, ByScore, KeyRange.All)));
        Assert.Equal([5ul], Ids(write.Find(_players, ByScore, I32(100))));
        Assert.Equal([15ul, 30], Ids(write.Range(_players, ByScore, new KeyRange(KeyBound.Inclusive(I32(200)), KeyBound.Exclusive(I32(350))))));
    }

    [Fact]
    public void TransactionReadsEqualCommittedReadsAfterApply()
    {
        List<List<ulong>> Reads(Transaction t) =>
        [
            Ids(t.Scan(_players)),
            Ids(t.Find(_players, ByTag, Str("red"))),
            Ids(t.Find(_players, ByTag, Str("blue"))),
            Ids(t.Range(_players, ByScore, KeyRange.All)),
            Ids(t.Range(_players, ByScore, new KeyRange(KeyBound.Exclusive(I32(100)), KeyBound.Inclusive(I32(300))))),
        ];
        var write = WriteSome();
        var before = Reads(write);
        CommitAndApply(_database, write);
        using var read = _database.BeginReadOnly();
        Assert.Equal(before, Reads(read));
    }

    [Fact]
    public void ReadOnlyTransactionsDoNotSeeUncommittedWrites()
    {
        using var write = WriteSome();
        using var read = _database.BeginReadOnly();
        Assert.Equal([10ul, 20, 30], Ids(read.Scan(_players)));
        Assert.Equal(100, Get(read, _players, 10)!.Score);
    }
}
