using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

public class ChangeSetTests
{
    private readonly Database _database = new();
    private readonly Table _players;

    public ChangeSetTests()
    {
        _players = CreatePlayers(_database);
        Seed(_database, _players, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"), new TestRow(3, 30, "cid"));
    }

    private static (RowChangeKind Kind, TestRow? Old, TestRow? New) Describe(RowChange change) => (
        change.Kind,
        change.OldRow.IsEmpty ? null : TestRow.Decode(change.OldRow),
        change.NewRow.IsEmpty ? null : TestRow.Decode(change.NewRow));

    private ChangeSet Run(Action<Transaction> writes)
    {
        using var write = _database.BeginTransaction();
        writes(write);
        return write.Commit();
    }

    [Fact]
    public void InsertThenDeleteIsNothing()
    {
        var changes = Run(t =>
        {
            Insert(t, _players, new TestRow(9, 0, "x"));
            t.Delete(_players, U64(9));
        });
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void InsertThenUpdateIsAnInsertOfTheFinalRow()
    {
        var changes = Run(t =>
        {
            Insert(t, _players, new TestRow(9, 0, "x"));
            t.Update(_players, new TestRow(9, 5, "y").Encode());
        });
        Assert.Equal((RowChangeKind.Insert, (TestRow?)null, new TestRow(9, 5, "y")), Describe(Assert.Single(changes.Rows.ToArray())));
    }

    [Fact]
    public void DeleteThenInsertIsAnUpdate()
    {
        var changes = Run(t =>
        {
            t.Delete(_players, U64(1));
            Insert(t, _players, new TestRow(1, 11, "ann"));
        });
        Assert.Equal((RowChangeKind.Update, new TestRow(1, 10, "ann"), new TestRow(1, 11, "ann")), Describe(Assert.Single(changes.Rows.ToArray())));
    }

    [Fact]
    public void RepeatedUpdatesAreOneUpdateFromTheCommittedRow()
    {
        var changes = Run(t =>
        {
            t.Update(_players, new TestRow(2, 21, "bob").Encode());
            t.Update(_players, new TestRow(2, 22, "bobby").Encode());
        });
        Assert.Equal((RowChangeKind.Update, new TestRow(2, 20, "bob"), new TestRow(2, 22, "bobby")), Describe(Assert.Single(changes.Rows.ToArray())));
    }

    [Fact]
    public void ChangesThatRestoreTheCommittedRowAreNothing()
    {
        var changes = Run(t =>
        {
            t.Update(_players, new TestRow(2, 21, "bob").Encode());
            t.Update(_players, new TestRow(2, 20, "bob").Encode());
            t.Delete(_players, U64(3));
            Insert(t, _players, new TestRow(3, 30, "cid"));
        });
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void UpdateThenDeleteIsADeleteOfTheCommittedRow()
    {
        var changes = Run(t =>
        {
            t.Update(_players, new TestRow(2, 21, "bob").Encode());
            t.Delete(_players, U64(2));
        });
        Assert.Equal((RowChangeKind.Delete, new TestRow(2, 20, "bob"), (TestRow?)null), Describe(Assert.Single(changes.Rows.ToArray())));
    }

    [Fact]
    public void RowsAreListedInFirstTouchOrderAcrossTablesAndModules()
    {
        var other = CreatePlayers(_database, "shop", "items");
        var changes = Run(t =>
        {
            t.Update(_players, new TestRow(3, 31, "cid").Encode());
            Insert(t, other, new TestRow(7, 0, "hat"));
            t.Delete(_players, U64(1));
            Insert(t, _players, new TestRow(0, 0, "zero"));
            t.Update(_players, new TestRow(3, 32, "cid").Encode());
            Insert(t, other, new TestRow(5, 0, "cap"));
        });
        var order = changes.Rows.ToArray().Select(c => (c.Table.QualifiedName, c.Kind, TestRow.Decode(c.Kind == RowChangeKind.Delete ? c.OldRow : c.NewRow).Id));
        Assert.Equal(
        [
            ("game.players", RowChangeKind.Update, 3ul),
            ("shop.items", RowChangeKind.Insert, 7ul),
            ("game.players", RowChangeKind.Delete, 1ul),
            ("game.players", RowChangeKind.Insert, 0ul),
            ("shop.items", RowChangeKind.Insert, 5ul),
        ], order);
    }

    [Fact]
    public void NothingIsVisibleToReadersBeforeApplyAndTheNextWriterMustWaitForIt()
    {
        var changes = Run(t => Insert(t, _players, new TestRow(9, 0, "x")));
        using (var read = _database.BeginReadOnly()) Assert.Null(Get(read, _players, 9));
        var error = Assert.Throws<InvalidOperationException>(() => _database.BeginTransaction());
        Assert.Contains("Apply", error.Message);
        Assert.Throws<InvalidOperationException>(() => _database.Apply(new ChangeSetBuilder().Insert(_players, new TestRow(8, 0, "y").Encode()).Build()));
        _database.Apply(changes);
        using (var read = _database.BeginReadOnly()) Assert.NotNull(Get(read, _players, 9));
        Assert.Throws<InvalidOperationException>(() => _database.Apply(changes));
    }

    [Fact]
    public void ApplyIsRefusedWhileAWriteTransactionIsOpen()
    {
        using var write = _database.BeginTransaction();
        var replayed = new ChangeSetBuilder().Insert(_players, new TestRow(8, 0, "y").Encode()).Build();
        Assert.Throws<InvalidOperationException>(() => _database.Apply(replayed));
        Assert.Throws<InvalidOperationException>(() => _database.BeginTransaction());
    }

    [Fact]
    public void AReplayedChangeSetAppliesLikeTheOriginal()
    {
        // Record a transaction's change set as durability would (rows and sequence), then
        // rebuild it against a second database holding the same starting state.
        var replica = new Database();
        var replicaPlayers = CreatePlayers(replica);
        Seed(replica, replicaPlayers, new TestRow(1, 10, "ann"), new TestRow(2, 20, "bob"), new TestRow(3, 30, "cid"));

        var changes = Run(t =>
        {
            t.Update(_players, new TestRow(1, 10, "tmp").Encode());
            t.Update(_players, new TestRow(2, 20, "ann").Encode());
            t.Update(_players, new TestRow(1, 10, "bob").Encode());
            t.Delete(_players, U64(3));
            Insert(t, _players, new TestRow(4, 40, "cid"));
        });
        _database.Apply(changes);

        var builder = new ChangeSetBuilder();
        foreach (var change in changes.Rows)
        {
            var old = change.OldRow.ToArray();
            var @new = change.NewRow.ToArray();
            _ = change.Kind switch
            {
                RowChangeKind.Insert => builder.Insert(replicaPlayers, @new),
                RowChangeKind.Update => builder.Update(replicaPlayers, old, @new),
                _ => builder.Delete(replicaPlayers, old),
            };
        }
        replica.Apply(builder.Build());

        using var original = _database.BeginReadOnly();
        using var copy = replica.BeginReadOnly();
        Assert.Equal(Rows(original.Scan(_players)), Rows(copy.Scan(replicaPlayers)));
        Assert.Equal(Ids(original.Range(_players, ByScore, KeyRange.All)), Ids(copy.Range(replicaPlayers, ByScore, KeyRange.All)));
        Assert.Equal([2ul], Ids(copy.Find(replicaPlayers, ByName, Str("ann"))));
        Assert.Equal([4ul], Ids(copy.Find(replicaPlayers, ByName, Str("cid"))));
    }

    [Fact]
    public void AReplayedChangeSetThatDoesNotFitIsRefusedBeforeAnyChange()
    {
        var conflicting = new ChangeSetBuilder()
            .Insert(_players, new TestRow(8, 0, "new").Encode())
            .Insert(_players, new TestRow(1, 0, "dup").Encode())
            .Build();
        var error = Assert.Throws<InvalidOperationException>(() => _database.Apply(conflicting));
        Assert.Contains("id = 1, which exists", error.Message);
        var missing = new ChangeSetBuilder().Delete(_players, new TestRow(9, 0, "nobody").Encode()).Build();
        Assert.Contains("does not exist", Assert.Throws<InvalidOperationException>(() => _database.Apply(missing)).Message);
        using var read = _database.BeginReadOnly();
        Assert.Equal(3, read.Count(_players));
    }

    [Fact]
    public void TheBuilderRejectsBadRows()
    {
        var builder = new ChangeSetBuilder().Insert(_players, new TestRow(8, 0, "a").Encode());
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => builder.Delete(_players, new TestRow(8, 0, "a").Encode())).Message);
        Assert.Contains("changes the primary key", Assert.Throws<ArgumentException>(() =>
            builder.Update(_players, new TestRow(1, 0, "a").Encode(), new TestRow(2, 0, "a").Encode())).Message);
        Assert.Throws<InvalidRowException>(() => builder.Insert(_players, [1, 2]));
        builder.SetSequence(_players, 5);
        Assert.Throws<ArgumentException>(() => builder.SetSequence(_players, 6));
        Assert.Equal(1, builder.Count);
    }
}
