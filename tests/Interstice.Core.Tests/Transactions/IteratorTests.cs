using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

/// <summary>An iterator sees the table as it was when opened, whatever the transaction writes meanwhile.</summary>
public class IteratorTests
{
    private readonly Database _database = new();
    private readonly Table _players;

    public IteratorTests()
    {
        _players = CreatePlayers(_database);
        Seed(_database, _players, Enumerable.Range(1, 50).Select(i => new TestRow((ulong)i, i, "p" + i)).ToArray());
    }

    [Fact]
    public void UpdatingEveryRowWhileScanningVisitsEachOnce()
    {
        using var write = _database.BeginTransaction();
        Insert(write, _players, new TestRow(60, 60, "overlay"));
        var seen = new List<ulong>();
        foreach (var bytes in write.Scan(_players))
        {
            var row = TestRow.Decode(bytes);
            seen.Add(row.Id);
            write.Update(_players, (row with { Score = row.Score + 1000 }).Encode());
        }
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (ulong)i).Append(60ul), seen);
        Assert.All(Rows(write.Scan(_players)), r => Assert.True(r.Score > 1000));
    }

    [Fact]
    public void InsertingRowsAheadOfTheCursorDoesNotExtendTheScan()
    {
        using var write = _database.BeginTransaction();
        int visited = 0;
        foreach (var bytes in write.Scan(_players))
        {
            var row = TestRow.Decode(bytes);
            Insert(write, _players, new TestRow(row.Id + 1000, 0, "copy" + row.Id));
            visited++;
        }
        Assert.Equal(50, visited);
        Assert.Equal(100, write.Count(_players));
    }

    [Fact]
    public void MovingRowsForwardInTheScannedIndexDoesNotRevisitThem()
    {
        using var write = _database.BeginTransaction();
        var seen = new List<ulong>();
        foreach (var bytes in write.Range(_players, ByScore, new KeyRange(KeyBound.Inclusive(I32(10)), KeyBound.Unbounded)))
        {
            var row = TestRow.Decode(bytes);
            seen.Add(row.Id);
            write.Update(_players, (row with { Score = row.Score + 5 }).Encode());
        }
        Assert.Equal(Enumerable.Range(10, 41).Select(i => (ulong)i), seen);
    }

    [Fact]
    public void DeletingRowsWhileScanningStillYieldsTheSnapshot()
    {
        using var write = _database.BeginTransaction();
        var seen = new List<ulong>();
        foreach (var bytes in write.Find(_players, ByTag, Str("")))
        {
            var id = TestRow.Decode(bytes).Id;
            seen.Add(id);
            write.Delete(_players, U64(id));
            write.Delete(_players, U64(id + 1));
        }
        Assert.Equal(50, seen.Count);
        Assert.Equal(0, write.Count(_players));
    }

    [Fact]
    public void IteratorsOpenedBeforeAWriteKeepTheirView()
    {
        using var write = _database.BeginTransaction();
        write.Delete(_players, U64(1));
        var byName = write.Find(_players, ByName, Str("p2"));
        var byScore = write.Range(_players, ByScore, new KeyRange(KeyBound.Unbounded, KeyBound.Inclusive(I32(3))));
        var scan = write.Scan(_players, new KeyRange(KeyBound.Unbounded, KeyBound.Inclusive(U64(3))));
        Assert.True(scan.MoveNext());
        write.Update(_players, new TestRow(2, -1, "renamed").Encode());
        Insert(write, _players, new TestRow(0, -2, "p2x"));
        write.Delete(_players, U64(3));
        Assert.Equal([2ul], Ids(byName));
        Assert.Equal([2ul, 3], Ids(byScore));
        Assert.Equal([3ul], Ids(scan));
        Assert.Equal([0ul, 2], Ids(write.Range(_players, ByScore, new KeyRange(KeyBound.Unbounded, KeyBound.Inclusive(I32(3))))));
    }
}
