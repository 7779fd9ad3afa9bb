using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

/// <summary>
/// Work on a row's primary key that storage does once: a long key is stored as one array that
/// every structure shares, and a merge of committed index rows with pending writes reads a
/// committed row's key out of it once.
/// </summary>
public class PrimaryKeyReuseTests
{
    /// <summary>Primary key: the name (a string, long when the name is); one non-unique hash index on the tag. Counts primary-key reads.</summary>
    private sealed class NameKeyedLayout : ITableLayout
    {
        public int PrimaryKeyReads;

        public void WritePrimaryKey(ReadOnlySpan<byte> row, ref KeyWriter key)
        {
            PrimaryKeyReads++;
            key.WriteUtf8(TestRow.NameBytes(row));
        }

        public void WriteIndexKey(int index, ReadOnlySpan<byte> row, ref KeyWriter key) => key.WriteUtf8(TestRow.TagBytes(row));

        public int GetAutoIncrementOffset(ReadOnlySpan<byte> row) => 0;
    }

    private readonly Database _database = new();
    private readonly NameKeyedLayout _layout = new();
    private readonly Table _table;

    public PrimaryKeyReuseTests() =>
        _table = _database.CreateTable("game", new TableDefinition("names", "name", KeyType.String, _layout,
            [new IndexDefinition("by_tag", "tag", KeyType.String, IndexKind.Hash, isUnique: false)], null));

    [Fact]
    public void A_hash_index_files_a_row_under_the_long_primary_key_array_the_tree_stores()
    {
        string first = new('a', 40), second = new('b', 40);
        Seed(_database, _table, new TestRow(1, 0, first, "red"));
        Seed(_database, _table, new TestRow(2, 0, second, "red"));

        var treeArrays = new List<byte[]>();
        var inTree = _table.Rows.Seek(KeyRange.All);
        while (inTree.MoveNext()) treeArrays.Add(inTree.StoredKey.Array);
        var setArrays = new List<byte[]>();
        var inSet = ((RowSet)((HashIndex)_table.Indexes[0]).Lookup(Str("red"))!).GetCursor();
        while (inSet.MoveNext()) setArrays.Add(inSet.PrimaryKey.Array);

        Assert.Equal(2, setArrays.Count);
        // The first row's key is read out of the row when the set forms; the row added to it keeps the tree's array.
        Assert.Equal(treeArrays[0], setArrays[0]);
        Assert.Same(treeArrays[1], setArrays[1]);
    }

    [Fact]
    public void Merging_a_committed_row_with_pending_writes_reads_its_primary_key_once()
    {
        Seed(_database, _table, new TestRow(9, 0, "zed", "red"));
        using var write = _database.BeginTransaction();
        // Pending rows with the tag that sort before the committed one: the merge compares it with each.
        foreach (var name in new[] { "amy", "bea", "cal", "dee" }) Insert(write, _table, new TestRow(1, 0, name, "red"));

        _layout.PrimaryKeyReads = 0;
        var names = Rows(write.Find(_table, 0, Str("red"))).Select(row => row.Name).ToList();

        Assert.Equal(["amy", "bea", "cal", "dee", "zed"], names);
        Assert.Equal(1, _layout.PrimaryKeyReads);
    }
}
