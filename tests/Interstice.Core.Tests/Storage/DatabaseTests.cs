using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

public class DatabaseTests
{
    [Fact]
    public void TablesAreGroupedByModuleInCreationOrder()
    {
        var database = new Database();
        var a = CreatePlayers(database, "m1", "a");
        var b = CreatePlayers(database, "m2", "b");
        var c = CreatePlayers(database, "m1", "c");
        Assert.Equal([a, b, c], database.Tables);
        Assert.Equal([a, c], database.Tables.Where(t => t.Module == "m1"));
        Assert.True(database.TryGetTable("m2", "b", out var found));
        Assert.Same(b, found);
        Assert.False(database.TryGetTable("m2", "a", out _));
        Assert.Equal(3, new[] { a.Id, b.Id, c.Id }.Distinct().Count());
        Assert.Equal("m1.c", c.QualifiedName);
        var error = Assert.Throws<ArgumentException>(() => CreatePlayers(database, "m1", "a"));
        Assert.Contains("m1.a already exists", error.Message);
    }

    [Fact]
    public void DroppingAModuleRemovesItsTablesAndTheirUse()
    {
        var database = new Database();
        var kept = CreatePlayers(database, "keep", "t");
        var gone = CreatePlayers(database, "gone", "t");
        Seed(database, gone, new TestRow(1, 0, "x"));
        Assert.Equal(1, database.DropModule("gone"));
        Assert.True(gone.IsDropped);
        Assert.Equal([kept], database.Tables);
        using var write = database.BeginTransaction();
        var error = Assert.Throws<InvalidOperationException>(() => Insert(write, gone, new TestRow(2, 0, "y")));
        Assert.Equal("table gone.t was dropped", error.Message);
        Assert.Throws<InvalidOperationException>(() => write.Scan(gone));
        write.Rollback();
        // The name is free again: a module reloads with a fresh, empty table.
        var again = CreatePlayers(database, "gone", "t");
        using var read = database.BeginReadOnly();
        Assert.Equal(0, read.Count(again));
        Assert.NotEqual(gone.Id, again.Id);
    }

    [Fact]
    public void SchemaChangesWaitForTheWriterToBeIdle()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        var write = database.BeginTransaction();
        Insert(write, table, new TestRow(1, 0, "x"));
        Assert.Throws<InvalidOperationException>(() => CreatePlayers(database, "other", "t"));
        Assert.Throws<InvalidOperationException>(() => database.DropModule("game"));
        var changes = write.Commit();
        Assert.Throws<InvalidOperationException>(() => database.DropTable(table));
        database.Apply(changes);
        database.DropTable(table);
        Assert.Empty(database.Tables);
    }

    [Fact]
    public void TablesOfAnotherDatabaseAreRefused()
    {
        var first = new Database();
        var second = new Database();
        var table = CreatePlayers(first);
        using var write = second.BeginTransaction();
        var error = Assert.Throws<ArgumentException>(() => write.Scan(table));
        Assert.Contains("belongs to another database", error.Message);
    }

    [Fact]
    public void DefinitionsAreValidated()
    {
        var layout = new TestLayout("m.t", ["name", "name"]);
        var index = Index("dup", "name", IndexKind.Hash, unique: false);
        Assert.Contains("two indexes named dup", Assert.Throws<ArgumentException>(() =>
            new TableDefinition("t", "id", KeyType.U64, layout, [index, index])).Message);
        Assert.StartsWith("auto_inc column id must have an integer type, not string", Assert.Throws<ArgumentException>(() => new AutoIncrementDefinition("id", KeyType.String)).Message);
        Assert.Throws<ArgumentException>(() => new TableDefinition(" ", "id", KeyType.U64, layout));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IndexDefinition("i", "c", (KeyType)99, IndexKind.Hash, false));
    }

    [Fact]
    public void OneWriterAtATime()
    {
        var database = new Database();
        using var write = database.BeginTransaction();
        Assert.Contains("already open", Assert.Throws<InvalidOperationException>(() => database.BeginTransaction()).Message);
        write.Rollback();
        using var next = database.BeginTransaction();
    }

    [Fact]
    public void AnEmptyCommitNeedsNoApply()
    {
        var database = new Database();
        var empty = database.BeginTransaction().Commit();
        Assert.True(empty.IsEmpty);
        database.Apply(empty);
        using var next = database.BeginTransaction();
    }
}
