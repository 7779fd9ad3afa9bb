using Interstice.Core.Storage;
using Interstice.Bench.Support;
using Interstice.Core.Transactions;

namespace Interstice.Bench.Storage;

/// <summary>
/// <c>Interstice.Bench storage [quick]</c>: the B+tree at 10^3 and 10^6 entries (10^5 with
/// <c>quick</c>), one-row transactions end to end, one transaction of 10^6 inserts with
/// lookups inside it, and non-unique indexes (hash: per-key sets; btree: composite keys).
/// Times are the best of several runs where a phase can be repeated; "GC" is the part of the
/// time the runtime spent paused collecting garbage.
/// </summary>
internal static class StorageBench
{
    public static int Run(IReadOnlyList<string> args)
    {
        bool quick = args.Contains("quick");
        int large = quick ? 100_000 : 1_000_000;
        Console.WriteLine($"storage benchmarks ({(quick ? "quick" : "full")}); .NET {Environment.Version}, {Environment.ProcessorCount} cores, " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        TreeBench(large);
        PointLookups(large);
        OneRowTransactions(quick ? 20_000 : 100_000);
        LargeTransaction(large);
        NonUniqueIndexes(quick ? 20_000 : 200_000);
        return 0;
    }

    private static void TreeBench(int large)
    {
        Console.WriteLine();
        Console.WriteLine("B+tree, 8-byte keys in random order (SortedDictionary with an ordinal byte comparer for reference):");
        Console.WriteLine($"{"entries",10} {"lookup",8} {"miss",8} {"insert",8} {"remove",8} {"scan/row",9} {"SortedDictionary lookup",24}");
        var results = new List<(double Lookup, double Insert)>();
        foreach (int size in new[] { 1_000, large })
        {
            var random = new Random(size);
            // Enough trees of this size that adding a tenth more to each makes 100,000 inserts.
            int batch = Math.Min(size / 10, 100_000);
            int treeCount = Math.Max(1, 100_000 / batch);
            var trees = new BPlusTree<int>[treeCount];
            var keys = new byte[treeCount][][];
            var extra = new byte[treeCount][][];
            for (int t = 0; t < treeCount; t++)
            {
                trees[t] = new BPlusTree<int>();
                keys[t] = RandomKeys(random, size);
                foreach (var key in keys[t]) trees[t].TryAdd(key, 0);
                extra[t] = RandomKeys(random, batch);
            }
            var tree = trees[0];
            var probes = Enumerable.Range(0, 1_000_000).Select(_ => keys[0][random.Next(size)]).ToArray();
            var misses = RandomKeys(random, 200_000);
            var lookup = Measure.Best(probes.Length, () =>
            {
                foreach (var probe in probes) tree.TryGetValue(probe, out _);
            });
            var miss = Measure.Best(misses.Length, () =>
            {
                foreach (var probe in misses) tree.TryGetValue(probe, out _);
            });
            double insert = double.MaxValue, remove = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                insert = Math.Min(insert, Measure.Once(treeCount * batch, () =>
                {
                    for (int t = 0; t < treeCount; t++) foreach (var key in extra[t]) trees[t].TryAdd(key, 1);
                }).Nanoseconds);
                remove = Math.Min(remove, Measure.Once(treeCount * batch, () =>
                {
                    for (int t = 0; t < treeCount; t++) foreach (var key in extra[t]) trees[t].Remove(key);
                }).Nanoseconds);
            }
            var scan = Measure.Best(tree.Count, () =>
            {
                var cursor = tree.Seek(KeyRange.All);
                while (cursor.MoveNext()) { }
            });
            var sorted = new SortedDictionary<byte[], int>(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)));
            foreach (var key in keys[0]) sorted[key] = 0;
            var sortedLookup = Measure.Best(probes.Length, () =>
            {
                foreach (var probe in probes) sorted.TryGetValue(probe, out _);
            }, repeats: 3);
            Console.WriteLine($"{size,10:N0} {lookup.Nanoseconds,8:F0} {miss.Nanoseconds,8:F0} {insert,8:F0} {remove,8:F0} {scan.Nanoseconds,9:F1} {sortedLookup.Nanoseconds,24:F0}   (height {tree.Height})");
            results.Add((lookup.Nanoseconds, insert));
        }
        Console.WriteLine($"growth from 1,000 to {large:N0} entries: lookup x{results[1].Lookup / results[0].Lookup:F2}, insert x{results[1].Insert / results[0].Insert:F2}" +
            $" (comparisons grow x{Math.Log2(large) / Math.Log2(1000):F2}; the rest is memory: 1,000 entries stay in cache, {large:N0} do not)");
    }

    /// <summary>
    /// Point lookups in tables of 10^3 and <paramref name="large"/> rows (ids appended, as
    /// auto_inc makes them; a unique hash index on name), through each structure and through a
    /// read-only transaction. Each lookup's probe depends on the previous lookup's row (its last
    /// byte, masked to zero), so lookups cannot overlap: the figures are latencies, as in a
    /// query that reads a row before it answers. Sizes alternate round by round; medians.
    /// </summary>
    private static void PointLookups(int large)
    {
        const int probes = 200_000;
        const int rounds = 7;
        int[] sizes = [1_000, large];
        Console.WriteLine();
        Console.WriteLine($"point lookups, ns (each waits for the previous one's row; medians of {rounds} rounds alternating sizes):");
        var tables = new Table[sizes.Length];
        var databases = new Database[sizes.Length];
        var ids = new byte[sizes.Length][][];
        var names = new byte[sizes.Length][][];
        double bytesPerRow = 0;
        for (int s = 0; s < sizes.Length; s++)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            databases[s] = new Database();
            tables[s] = databases[s].CreateTable("bench", BenchRow.Definition("t", nameIndex: true));
            Fill(databases[s], tables[s], sizes[s]);
            bytesPerRow = (double)(GC.GetTotalMemory(forceFullCollection: true) - before) / sizes[s];
            var random = new Random(s);
            ids[s] = new byte[probes][];
            names[s] = new byte[probes][];
            var name = new byte[16];
            for (int i = 0; i < probes; i++)
            {
                ulong id = (ulong)random.Next(1, sizes[s] + 1);
                ids[s][i] = new byte[8];
                KeyEncoding.WriteU64(ids[s][i], id);
                Name(id, name);
                names[s][i] = StringKey(name);
            }
        }
        var paths = new (string Name, Func<int, Func<int, int>> Lookup)[]
        {
            ("B+tree by primary key", s => i => { tables[s].Rows.TryGetValue(ids[s][i], out var row); return row[^1]; }),
            ("hash table by primary key", s => i => tables[s].Find(ids[s][i])![^1]),
            ("read-only transaction: TryGet", s => i =>
            {
                using var read = databases[s].BeginReadOnly();
                read.TryGet(tables[s], ids[s][i], out var row);
                return row.Span[^1];
            }),
            ("read-only transaction: unique hash index", s => i =>
            {
                using var read = databases[s].BeginReadOnly();
                using var rows = read.Find(tables[s], 0, names[s][i]);
                rows.MoveNext();
                return rows.Current.Span[^1];
            }),
        };
        var samples = new double[paths.Length, sizes.Length][];
        for (int p = 0; p < paths.Length; p++)
        {
            for (int s = 0; s < sizes.Length; s++) samples[p, s] = new double[rounds];
        }
        for (int round = -1; round < rounds; round++)
        {
            for (int p = 0; p < paths.Length; p++)
            {
                for (int s = 0; s < sizes.Length; s++)
                {
                    var lookup = paths[p].Lookup(s);
                    var result = Measure.Once(probes, () =>
                    {
                        int next = 0;
                        for (int n = 1; n <= probes; n++)
                        {
                            next = (n + (lookup(next) & Zero)) % probes;
                        }
                    });
                    if (round >= 0) samples[p, s][round] = result.Nanoseconds;
                }
            }
        }
        Console.WriteLine($"  {"path",-42} {sizes[0],10:N0} {sizes[1],10:N0} {"growth",7}");
        for (int p = 0; p < paths.Length; p++)
        {
            double small = Timing.Median(samples[p, 0]), big = Timing.Median(samples[p, 1]);
            Console.WriteLine($"  {paths[p].Name,-42} {small,10:F0} {big,10:F0} {big / small,7:F2}");
        }
        var table = tables[^1];
        Console.WriteLine($"  memory at {sizes[^1]:N0} rows: {bytesPerRow:F0} bytes per row (managed heap), of which the primary-key hash table {(double)table.RowsByKey.MemoryBytes / table.Rows.Count:F0}");
    }

    /// <summary>Zero, but not a constant: masking with it makes a value depend on a load without changing it.</summary>
    private static int Zero = Environment.TickCount & 0;

    private static byte[][] RandomKeys(Random random, int count)
    {
        var keys = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            keys[i] = new byte[8];
            KeyEncoding.WriteU64(keys[i], (ulong)random.NextInt64());
        }
        return keys;
    }

    private static void OneRowTransactions(int operations)
    {
        const int tableRows = 100_000;
        Console.WriteLine();
        Console.WriteLine($"one-row transactions end to end (begin, write, commit, apply) on a table of {tableRows:N0} rows, ns per transaction:");
        Console.WriteLine($"  {"table",-30} {"insert",16} {"delete",16} {"update",16} {"get (read-only tx)",20}   allocated per insert");
        foreach (bool indexed in new[] { false, true })
        {
            var database = new Database();
            var table = database.CreateTable("bench", BenchRow.Definition("t", nameIndex: indexed));
            Fill(database, table, tableRows);
            var name = new byte[16];
            var buffer = new byte[64];
            var key = new byte[8];
            ulong nextId = 1_000_000_000;
            int score = 0;
            ulong updateId = 1;
            ulong getId = 1;
            void InsertOne()
            {
                var write = database.BeginTransaction();
                Name(nextId, name);
                int length = BenchRow.Write(buffer, nextId++, score++ % 1000, name);
                write.Insert(table, buffer.AsSpan(0, length));
                database.Apply(write.Commit());
            }
            void DeleteOne()
            {
                var write = database.BeginTransaction();
                KeyEncoding.WriteU64(key, --nextId);
                write.Delete(table, key);
                database.Apply(write.Commit());
            }
            void UpdateOne()
            {
                var write = database.BeginTransaction();
                Name(updateId, name);
                int length = BenchRow.Write(buffer, updateId, score++ % 1000, name);
                write.Update(table, buffer.AsSpan(0, length));
                database.Apply(write.Commit());
                updateId = updateId % tableRows + 1;
            }
            void GetOne()
            {
                using var read = database.BeginReadOnly();
                KeyEncoding.WriteU64(key, getId);
                read.TryGet(table, key, out _);
                getId = getId % tableRows + 1;
            }
            // Warm up every path, then insert and delete the same rows so the table keeps its size.
            // For a second at least: tiered compilation optimizes a method only once no new method
            // has been compiled for 100 ms, so a warm-up of a few milliseconds left the paths that
            // nothing before them used (an update's) running unoptimized code while measured.
            var warming = System.Diagnostics.Stopwatch.StartNew();
            do
            {
                for (int i = 0; i < operations; i++) InsertOne();
                for (int i = 0; i < operations; i++) DeleteOne();
                for (int i = 0; i < operations; i++) UpdateOne();
                for (int i = 0; i < operations; i++) GetOne();
            }
            while (warming.ElapsedMilliseconds < 1000);
            var insert = new Measure.Result(double.MaxValue, 0);
            var delete = insert;
            for (int round = 0; round < 5; round++)
            {
                var inserted = Measure.Once(operations, () => { for (int i = 0; i < operations; i++) InsertOne(); });
                var deleted = Measure.Once(operations, () => { for (int i = 0; i < operations; i++) DeleteOne(); });
                if (inserted.Nanoseconds < insert.Nanoseconds) insert = inserted;
                if (deleted.Nanoseconds < delete.Nanoseconds) delete = deleted;
            }
            double insertBytes = Measure.BytesPerOperation(operations, () => { for (int i = 0; i < operations; i++) InsertOne(); });
            for (int i = 0; i < operations; i++) DeleteOne();
            var update = Measure.Best(operations, () => { for (int i = 0; i < operations; i++) UpdateOne(); });
            var get = Measure.Best(operations, () => { for (int i = 0; i < operations; i++) GetOne(); });
            string kind = indexed ? "PK + unique hash + btree index" : "PK only";
            Console.WriteLine($"  {kind,-30} {insert,16} {delete,16} {update,16} {get,20}   {insertBytes:F0} B");
        }
    }

    private static void Fill(Database database, Table table, int rows)
    {
        var write = database.BeginTransaction();
        var name = new byte[16];
        for (int i = 1; i <= rows; i++)
        {
            Name((ulong)i, name);
            write.Insert(table, BenchRow.Encode((ulong)i, i % 1000, name));
        }
        database.Apply(write.Commit());
    }

    private static void LargeTransaction(int rows)
    {
        Console.WriteLine();
        Console.WriteLine($"one transaction inserting {rows:N0} rows into an empty table (PK auto_inc, unique hash on name, btree on score):");
        var database = new Database();
        var table = database.CreateTable("bench", BenchRow.Definition("t", nameIndex: true));
        var name = new byte[16];
        var buffer = new byte[64];
        var lookupName = new byte[16];
        var random = new Random(1);
        var write = database.BeginTransaction();
        // A unique-index lookup inside the transaction, with an empty overlay and with a full one.
        Measure.Result Lookup(int inserted) => Measure.Best(100_000, () =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                Name((ulong)random.Next(1, Math.Max(2, inserted)), lookupName);
                using var iterator = write.Find(table, 0, StringKey(lookupName));
                iterator.MoveNext();
            }
        }, repeats: 3);
        var before = Lookup(0);
        var insert = Measure.Once(rows, () =>
        {
            for (int i = 1; i <= rows; i++)
            {
                Name((ulong)i, name);
                int length = BenchRow.Write(buffer, 0, i % 1000, name);
                write.Insert(table, buffer.AsSpan(0, length));
            }
        });
        var after = Lookup(rows);
        ChangeSet? changes = null;
        var commit = Measure.Once(1, () => changes = write.Commit());
        var apply = Measure.Once(rows, () => database.Apply(changes!));
        Console.WriteLine($"  insert {insert}/row; commit {commit.Nanoseconds / 1e6:F0} ms; apply {apply}/row");
        Console.WriteLine($"  unique-index lookup inside the transaction: {before} with an empty overlay, {after} with {rows:N0} rows in it");
    }

    private static void NonUniqueIndexes(int rows)
    {
        Console.WriteLine();
        Console.WriteLine($"non-unique index on score, {rows:N0} committed rows: hash (per-key sets) vs btree (index key + primary key):");
        Console.WriteLine($"  {"kind",-6} {"rows/key",9} {"apply per row",18} {"lookup per key",16} {"per row found",14}");
        foreach (int distinct in new[] { rows / 2, 100 })
        {
            foreach (var kind in new[] { IndexKind.Hash, IndexKind.BTree })
            {
                var database = new Database();
                var table = database.CreateTable("bench", BenchRow.Definition("t", nameIndex: true, scoreKind: kind));
                var write = database.BeginTransaction();
                var name = new byte[16];
                for (int i = 1; i <= rows; i++)
                {
                    Name((ulong)i, name);
                    write.Insert(table, BenchRow.Encode((ulong)i, i % distinct, name));
                }
                var changes = write.Commit();
                var apply = Measure.Once(rows, () => database.Apply(changes));
                var keys = Enumerable.Range(0, distinct).Select(ScoreKey).ToArray();
                using var read = database.BeginReadOnly();
                int lookups = Math.Min(distinct, 20_000);
                int found = 0;
                var find = Measure.Best(lookups, () =>
                {
                    found = 0;
                    for (int i = 0; i < lookups; i++)
                    {
                        using var iterator = read.Find(table, 1, keys[i]);
                        while (iterator.MoveNext()) found++;
                    }
                }, repeats: 3);
                Console.WriteLine($"  {kind,-6} {rows / distinct,9:N0} {apply,18} {find.Nanoseconds,13:F0} ns {find.Nanoseconds * lookups / found,11:F1} ns");
            }
        }
    }

    /// <summary>
    /// A distinct 16-character name per number whose leading characters vary, as user-chosen
    /// names do (zero-padded numbers would all share their first bytes).
    /// </summary>
    private static void Name(ulong number, Span<byte> destination)
    {
        ulong mixed = number * 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < 16; i++)
        {
            destination[i] = (byte)"abcdefghijklmnop"[(int)(mixed & 15)];
            mixed >>= 4;
        }
    }

    private static byte[] StringKey(ReadOnlySpan<byte> utf8)
    {
        var key = new KeyWriter(stackalloc byte[64]);
        key.WriteUtf8(utf8);
        return key.ToArray();
    }

    private static byte[] ScoreKey(int score)
    {
        var key = new byte[4];
        KeyEncoding.WriteI32(key, score);
        return key;
    }
}
