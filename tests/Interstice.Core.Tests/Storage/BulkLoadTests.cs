using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

/// <summary>
/// The bulk path (<see cref="BPlusTree{TValue}.BuildSorted"/>, <see cref="Table.BulkLoad"/>)
/// against the row-by-row one: the same contents, the same answers to every read, the same
/// behaviour under later writes, and unique keys still checked.
/// </summary>
public class BulkLoadTests
{
    private sealed class OrdinalComparer : IComparer<byte[]>
    {
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    public static TheoryData<int, int, int, int> TreeShapes => new()
    {
        // leaf capacity, branch capacity, entries, seed
        { 4, 4, 0, 1 },
        { 4, 4, 1, 2 },
        { 4, 4, 4, 3 },
        { 4, 4, 5, 4 },
        { 5, 4, 23, 5 },
        { 4, 5, 97, 6 },
        { 4, 4, 1_000, 7 },
        { 7, 6, 3_001, 8 },
        { 64, 64, 64, 9 },
        { 64, 64, 20_000, 10 },
    };

    [Theory]
    [MemberData(nameof(TreeShapes))]
    public void A_tree_built_from_sorted_entries_matches_a_sorted_dictionary_before_and_after_changes(int leafCapacity, int branchCapacity, int entries, int seed)
    {
        var random = new Random(seed);
        var reference = new SortedDictionary<byte[], int>(new OrdinalComparer());
        while (reference.Count < entries) reference.TryAdd(RandomKey(random), reference.Count);
        var tree = new BPlusTree<int>(leafCapacity, branchCapacity);
        var keys = reference.Keys.ToArray();
        tree.BuildSorted(reference.Count, i => StoredKey.From(keys[i]), [.. reference.Values]);
        tree.CheckInvariants();
        Assert.Equal(reference.Count, tree.Count);
        Assert.Equal(reference.Select(p => (Convert.ToHexString(p.Key), p.Value)), Collect(tree, KeyRange.All));
        for (int i = 0; i < 200; i++)
        {
            var range = RandomRange(random);
            Assert.Equal(reference.Where(p => range.Contains(p.Key)).Select(p => (Convert.ToHexString(p.Key), p.Value)), Collect(tree, range));
            var probe = RandomKey(random);
            Assert.Equal(reference.TryGetValue(probe, out int expected), tree.TryGetValue(probe, out int found));
            Assert.Equal(expected, found);
        }

        // Inserts and removals after the build split, borrow and merge its nodes as usual.
        for (int step = 0; step < 4 * entries + 100; step++)
        {
            var key = random.Next(3) == 0 && reference.Count > 0 ? reference.Keys.ElementAt(random.Next(reference.Count)) : RandomKey(random);
            if (random.Next(2) == 0) Assert.Equal(reference.TryAdd(key, step), tree.TryAdd(key, step));
            else Assert.Equal(reference.Remove(key), tree.Remove(key));
            if (step % 97 == 0) tree.CheckInvariants();
        }
        tree.CheckInvariants();
        Assert.Equal(reference.Select(p => (Convert.ToHexString(p.Key), p.Value)), Collect(tree, KeyRange.All));
    }

    [Fact]
    public void Only_an_empty_tree_is_built_from_sorted_entries()
    {
        var tree = new BPlusTree<int>();
        tree.TryAdd([1], 1);
        Assert.Throws<InvalidOperationException>(() => tree.BuildSorted(1, _ => StoredKey.From([2]), [2]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(10_000, 3)]
    public void The_prefix_sort_orders_like_a_stable_comparison_sort(int count, int seed)
    {
        var random = new Random(seed);
        // Few distinct values in some bytes and many in others, with ties.
        var prefixes = Enumerable.Range(0, count)
            .Select(_ => ((UInt128)(ulong)random.Next(50) << 120) | ((UInt128)(ulong)random.NextInt64() << 40) * (ulong)random.Next(2) | (ulong)random.Next(300))
            .ToArray();
        var expected = Enumerable.Range(0, count).OrderBy(i => prefixes[i]).ToArray();
        var sorted = (UInt128[])prefixes.Clone();
        var order = new int[count];
        PrefixSort.Sort(sorted, order);
        Assert.Equal(expected, order);
        Assert.Equal(expected.Select(i => prefixes[i]), sorted);
    }

    [Fact]
    public void The_prefix_sort_of_equal_prefixes_keeps_their_positions()
    {
        // Every byte position is the same in all: no pass runs, the order is the identity.
        var prefixes = Enumerable.Repeat((UInt128)12345, 1000).ToArray();
        var order = Enumerable.Repeat(-7, 1000).ToArray();
        PrefixSort.Sort(prefixes, order);
        Assert.Equal(Enumerable.Range(0, 1000), order);
        Assert.All(prefixes, p => Assert.Equal((UInt128)12345, p));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(9, 3)]
    [InlineData(16, 4)]
    public void The_prefix_sort_by_leading_bytes_orders_by_those_bytes_alone_keeping_ties_in_position_order(int significantBytes, int seed)
    {
        var random = new Random(seed);
        // Few distinct leading bytes, so that many prefixes tie on them and differ only below.
        var prefixes = Enumerable.Range(0, 5_000)
            .Select(_ => ((UInt128)(ulong)random.Next(4) << 126) | ((UInt128)(ulong)random.NextInt64() << 60) | (ulong)random.NextInt64())
            .ToArray();
        var significant = (UInt128 p) => significantBytes == 16 ? p : p >> (8 * (16 - significantBytes));
        var expected = Enumerable.Range(0, prefixes.Length).OrderBy(i => significant(prefixes[i])).ToArray();
        var sorted = (UInt128[])prefixes.Clone();
        var order = new int[sorted.Length];
        PrefixSort.Sort(sorted, order, significantBytes);
        Assert.Equal(expected, order);
        Assert.Equal(expected.Select(i => prefixes[i]), sorted);
    }

    public static TheoryData<string, int, int> TableShapes => new()
    {
        // name index kind (the unique one), rows, seed
        { "hash", 0, 1 },
        { "hash", 1, 2 },
        { "hash", 500, 3 },
        { "hash", 5_000, 4 },
        { "btree", 500, 5 },
        { "btree", 5_000, 6 },
    };

    [Theory]
    [MemberData(nameof(TableShapes))]
    public void A_bulk_loaded_table_answers_every_read_and_write_as_one_filled_row_by_row(string nameKind, int rows, int seed)
    {
        var random = new Random(seed);
        var data = RandomRows(random, rows);
        var bulkDatabase = new Database();
        var rowDatabase = new Database();
        var bulk = CreateTable(bulkDatabase, nameKind);
        var byRow = CreateTable(rowDatabase, nameKind);
        if (data.Count > 0) Seed(rowDatabase, byRow, [.. data]);
        var (encoded, keys) = Keyed(bulk, data);
        Assert.Null(bulk.BulkLoad(encoded, keys, encoded.Length, out int conflicting));
        Assert.Equal(-1, conflicting);
        bulk.CheckInvariants();
        AssertSameReads(random, bulkDatabase, bulk, rowDatabase, byRow, data.Count == 0 ? 10 : (long)data[^1].Id + 10);

        // Later transactions (inserts, updates that move index keys, deletes) change both alike.
        ulong next = data.Count == 0 ? 1 : data[^1].Id + 1;
        for (int t = 0; t < 300; t++)
        {
            var operations = new List<Action<Interstice.Core.Transactions.Transaction, Table>>();
            ulong id = (ulong)random.NextInt64(1, (long)next + 3);
            int choice = random.Next(3);
            int score = random.Next(-20, 20);
            string name = $"w{t}";
            foreach (var (database, table) in new[] { (bulkDatabase, bulk), (rowDatabase, byRow) })
            {
                using var tx = database.BeginTransaction();
                var existing = Get(tx, table, id);
                if (existing == null) Insert(tx, table, new TestRow(id, score, name, "x"));
                else if (choice == 0) tx.Update(table, (existing with { Score = score, Name = name }).Encode());
                else tx.Delete(table, U64(id));
                CommitAndApply(database, tx);
            }
            next = Math.Max(next, id + 1);
        }
        bulk.CheckInvariants();
        AssertSameReads(random, bulkDatabase, bulk, rowDatabase, byRow, (long)next + 10);
    }

    /// <summary>
    /// A table emptied by deletes (as replay meets <c>interstice.modules</c> after a module was
    /// removed) still holds what its rows left in its structures; a bulk load into it starts afresh.
    /// </summary>
    [Theory]
    [InlineData("hash")]
    [InlineData("btree")]
    public void A_table_emptied_by_deletes_is_bulk_loaded_like_a_new_one(string nameKind)
    {
        var random = new Random(11);
        var database = new Database();
        var table = CreateTable(database, nameKind);
        var before = RandomRows(random, 300);
        Seed(database, table, [.. before]);
        using (var tx = database.BeginTransaction())
        {
            foreach (var row in before) tx.Delete(table, U64(row.Id));
            CommitAndApply(database, tx);
        }
        var data = RandomRows(random, 500);
        var (encoded, keys) = Keyed(table, data);
        Assert.Null(table.BulkLoad(encoded, keys, encoded.Length, out _));
        table.CheckInvariants();

        var rowDatabase = new Database();
        var byRow = CreateTable(rowDatabase, nameKind);
        Seed(rowDatabase, byRow, [.. data]);
        AssertSameReads(random, database, table, rowDatabase, byRow, (long)data[^1].Id + 10);
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("btree")]
    public void A_unique_key_taken_twice_stops_a_bulk_load_naming_the_table_column_and_value_and_leaves_the_table_empty(string nameKind)
    {
        var database = new Database();
        var table = CreateTable(database, nameKind);
        var rows = Enumerable.Range(1, 50).Select(i => new TestRow((ulong)i, i % 7, $"p{i}", "t")).ToArray();
        // Rows 20 and 35 (positions 19 and 34) take the names of rows 3 and 11: 19 conflicts first.
        rows[34] = rows[34] with { Name = "p11" };
        rows[19] = rows[19] with { Name = "p3" };
        var (encoded, keys) = Keyed(table, rows);

        var violation = table.BulkLoad(encoded, keys, encoded.Length, out int conflicting);

        Assert.NotNull(violation);
        Assert.Equal(19, conflicting);
        Assert.Equal("unique violation in table game.players: unique index by_name already has a row with name = \"p3\"", violation.Message);
        Assert.Equal(("by_name", "name", "\"p3\""), (violation.Index, violation.Column, violation.Key));
        table.CheckInvariants();
        using (var read = database.BeginReadOnly()) Assert.Equal(0, read.Count(table));
        Seed(database, table, new TestRow(1, 1, "p3"));
        table.CheckInvariants();
    }

    [Fact]
    public void A_unique_integer_key_taken_twice_is_found_by_the_sort_over_index_keys_alone()
    {
        // An i32 key has one length, so the btree index sorts by the index keys' bytes alone.
        var database = new Database();
        var table = Create(database, "game", "players", autoIncrement: false, Index("by_score", "score", IndexKind.BTree, unique: true));
        // Scores fall as ids rise, so the rows are not in index order; rows 31 and 40 (positions
        // 30 and 39) take the scores of rows 12 and 5: 30 conflicts first.
        var rows = Enumerable.Range(1, 60).Select(i => new TestRow((ulong)i, 1000 - i, $"p{i}", "t")).ToArray();
        rows[39] = rows[39] with { Score = 1000 - 5 };
        rows[30] = rows[30] with { Score = 1000 - 12 };
        var (encoded, keys) = Keyed(table, rows);

        var violation = table.BulkLoad(encoded, keys, encoded.Length, out int conflicting);

        Assert.NotNull(violation);
        Assert.Equal(30, conflicting);
        Assert.Equal(("by_score", "score", "988"), (violation.Index, violation.Column, violation.Key));
        using (var read = database.BeginReadOnly()) Assert.Equal(0, read.Count(table));

        // Without the repeats the same rows load, in score order.
        var distinct = Enumerable.Range(1, 60).Select(i => new TestRow((ulong)i, 1000 - i, $"p{i}", "t")).ToArray();
        var (distinctRows, distinctKeys) = Keyed(table, distinct);
        Assert.Null(table.BulkLoad(distinctRows, distinctKeys, distinctRows.Length, out _));
        table.CheckInvariants();
    }

    [Fact]
    public void A_repeated_primary_key_is_a_violation_and_keys_out_of_order_are_refused()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        var (twice, twiceKeys) = Keyed(table, [new TestRow(1, 1, "a"), new TestRow(2, 2, "b"), new TestRow(2, 3, "c")]);
        var violation = table.BulkLoad(twice, twiceKeys, twice.Length, out int conflicting);
        Assert.Equal(2, conflicting);
        Assert.Equal("unique violation in table game.players: a row with primary key id = 2 already exists", violation!.Message);

        var (backwards, backwardsKeys) = Keyed(table, [new TestRow(2, 1, "a"), new TestRow(1, 2, "b")]);
        Assert.Throws<ArgumentException>(() => table.BulkLoad(backwards, backwardsKeys, backwards.Length, out _));
        Seed(database, table, new TestRow(1, 1, "a"));
        Assert.Throws<InvalidOperationException>(() => table.BulkLoad(twice, twiceKeys, 1, out _));
    }

    /// <summary>The encoded rows and, beside them, their primary keys as a bulk load takes them.</summary>
    private static (byte[][] Rows, StoredKey[] Keys) Keyed(Table table, IEnumerable<TestRow> rows)
    {
        var encoded = rows.Select(r => r.Encode()).ToArray();
        return (encoded, encoded.Select(table.StoredPrimaryKeyOf).ToArray());
    }

    /// <summary>The players table, its unique name index a hash or a btree index.</summary>
    private static Table CreateTable(Database database, string nameKind) => nameKind == "hash"
        ? CreatePlayers(database)
        : Create(database, "game", "players", autoIncrement: false,
            Index("by_name", "name", IndexKind.BTree, unique: true),
            Index("by_score", "score", IndexKind.BTree, unique: false),
            Index("by_tag", "tag", IndexKind.Hash, unique: false));

    /// <summary>Rows with increasing ids (with gaps), unique names, scores and tags drawn from small sets.</summary>
    private static List<TestRow> RandomRows(Random random, int count)
    {
        var rows = new List<TestRow>(count);
        ulong id = 0;
        for (int i = 0; i < count; i++)
        {
            id += (ulong)random.Next(1, 4);
            // Names share long prefixes now and then, so sorting meets ties on the cached prefix.
            string name = random.Next(4) == 0 ? $"a-long-shared-name-prefix-{id}" : $"n{random.Next(1000)}-{id}";
            rows.Add(new TestRow(id, random.Next(-30, 30), name, $"t{random.Next(6)}"));
        }
        return rows;
    }

    private static void AssertSameReads(Random random, Database bulkDatabase, Table bulk, Database rowDatabase, Table byRow, long idSpace)
    {
        using var a = bulkDatabase.BeginReadOnly();
        using var b = rowDatabase.BeginReadOnly();
        Assert.Equal(b.Count(byRow), a.Count(bulk));
        Assert.Equal(Rows(b.Scan(byRow)), Rows(a.Scan(bulk)));
        Assert.Equal(Rows(b.Range(byRow, ByScore, KeyRange.All)), Rows(a.Range(bulk, ByScore, KeyRange.All)));
        var names = Rows(b.Scan(byRow)).Select(r => r.Name).Concat(["missing"]).ToList();
        for (int i = 0; i < 300; i++)
        {
            ulong id = (ulong)random.NextInt64(0, idSpace);
            Assert.Equal(Get(b, byRow, id), Get(a, bulk, id));
            var name = Str(names[random.Next(names.Count)]);
            Assert.Equal(Ids(b.Find(byRow, ByName, name)), Ids(a.Find(bulk, ByName, name)));
            var tag = Str($"t{random.Next(8)}");
            Assert.Equal(Ids(b.Find(byRow, ByTag, tag)), Ids(a.Find(bulk, ByTag, tag)));
            var score = I32(random.Next(-35, 35));
            Assert.Equal(Ids(b.Find(byRow, ByScore, score)), Ids(a.Find(bulk, ByScore, score)));
            int low = random.Next(-35, 35);
            var range = new KeyRange(KeyBound.Inclusive(I32(low)), KeyBound.Exclusive(I32(low + random.Next(10))));
            Assert.Equal(Ids(b.Range(byRow, ByScore, range)), Ids(a.Range(bulk, ByScore, range)));
        }
    }

    /// <summary>Variable-length keys, some longer than the 16 bytes a node caches, many sharing prefixes.</summary>
    private static byte[] RandomKey(Random random)
    {
        var key = new byte[random.Next(1, 24)];
        for (int i = 0; i < key.Length; i++) key[i] = (byte)random.Next(3);
        return key;
    }

    private static KeyRange RandomRange(Random random)
    {
        KeyBound Bound()
        {
            int kind = random.Next(3);
            var key = RandomKey(random);
            return kind == 0 ? KeyBound.Unbounded : kind == 1 ? KeyBound.Inclusive(key) : KeyBound.Exclusive(key);
        }
        return new KeyRange(Bound(), Bound());
    }

    /// <summary>The entries in <paramref name="range"/>, keys in hex (the tree hands out spans over its nodes).</summary>
    private static List<(string Key, int Value)> Collect(BPlusTree<int> tree, KeyRange range)
    {
        var result = new List<(string, int)>();
        var cursor = tree.Seek(range);
        while (cursor.MoveNext()) result.Add((Convert.ToHexString(cursor.Key), cursor.Value));
        return result;
    }
}
