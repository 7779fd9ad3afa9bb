using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Support;

/// <summary>Test tables over <see cref="TestRow"/> and helpers to read and write them.</summary>
public static class TestTables
{
    public static IndexDefinition Index(string name, string column, IndexKind kind, bool unique) =>
        new(name, column, column == "score" ? KeyType.I32 : KeyType.String, kind, unique);

    /// <summary>The usual test table: unique hash on name, non-unique btree on score, non-unique hash on tag.</summary>
    public static Table CreatePlayers(Database database, string module = "game", string name = "players", bool autoIncrement = false) =>
        Create(database, module, name, autoIncrement,
            Index("by_name", "name", IndexKind.Hash, unique: true),
            Index("by_score", "score", IndexKind.BTree, unique: false),
            Index("by_tag", "tag", IndexKind.Hash, unique: false));

    public const int ByName = 0;
    public const int ByScore = 1;
    public const int ByTag = 2;

    public static Table Create(Database database, string module, string name, bool autoIncrement, params IndexDefinition[] indexes)
    {
        var layout = new TestLayout(module + "." + name, indexes.Select(i => i.Column).ToArray());
        var definition = new TableDefinition(name, "id", KeyType.U64, layout, indexes,
            autoIncrement ? new AutoIncrementDefinition("id", KeyType.U64) : null);
        return database.CreateTable(module, definition);
    }

    public static byte[] U64(ulong value)
    {
        var key = new KeyWriter(stackalloc byte[8]);
        key.WriteU64(value);
        return key.ToArray();
    }

    public static byte[] I32(int value)
    {
        var key = new KeyWriter(stackalloc byte[4]);
        key.WriteI32(value);
        return key.ToArray();
    }

    public static byte[] Str(string value)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            key.WriteString(value);
            return key.ToArray();
        }
        finally
        {
            key.Dispose();
        }
    }

    public static List<TestRow> Rows(RowIterator iterator)
    {
        var rows = new List<TestRow>();
        using (iterator)
        {
            foreach (var row in iterator) rows.Add(TestRow.Decode(row));
        }
        return rows;
    }

    public static List<ulong> Ids(RowIterator iterator) => Rows(iterator).Select(r => r.Id).ToList();

    public static TestRow? Get(Transaction transaction, Table table, ulong id) =>
        transaction.TryGet(table, U64(id), out var row) ? TestRow.Decode(row) : null;

    public static void Insert(Transaction transaction, Table table, TestRow row) => transaction.Insert(table, row.Encode());

    /// <summary>Commits and applies; returns the change set.</summary>
    public static ChangeSet CommitAndApply(Database database, Transaction transaction)
    {
        var changes = transaction.Commit();
        database.Apply(changes);
        return changes;
    }

    /// <summary>Inserts rows in one committed transaction.</summary>
    public static void Seed(Database database, Table table, params TestRow[] rows)
    {
        using var transaction = database.BeginTransaction();
        foreach (var row in rows) Insert(transaction, table, row);
        CommitAndApply(database, transaction);
    }
}
