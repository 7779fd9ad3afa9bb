using System.Diagnostics;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Bench.Storage;

/// <summary>
/// <c>Interstice.Bench storage [quick]</c>: the B+tree at 10^3 and 10^6 entries, one-row
/// transactions end to end, a transaction of 10^6 inserts and reads inside it, and
/// non-unique indexes (hash: per-key sets; btree: composite keys).
/// </summary>
internal static class StorageBench
{
    public static int Run(IReadOnlyList<string> args)
    {
        bool quick = args.Contains("quick");
        int large = quick ? 100_000 : 1_000_000;
        Console.WriteLine($"storage benchmarks ({(quick ? "quick" : "full")}); .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        TreeBench(large);
        OneRowTransactions();
        LargeTransaction(large);
        NonUniqueIndexes(quick ? 20_000 : 200_000);
        return 0;
    }

    private static byte[] Key(ulong value)
    {
        var key = new byte[8];
        KeyEncoding.WriteU64(key, value);
        return key;
    }

    private static void TreeBench(int large)
    {
        Console.WriteLine();
        Console.WriteLine("B+tree (8-byte keys in random order), ns per operation:");
        Console.WriteLine($"{"entries",10} {"lookup",8} {"miss",8} {"insert",8} {"remove",8} {"scan/row",9}");
        var results = new List<(int Size, double Lookup, double Insert)>();
        foreach (int size in new[] { 1_000, large })
        {
            var random = new Random(size);
            // Enough trees of this size that inserting a tenth more into each makes 100,000 inserts.
            int batch = Math.Min(size / 10, 100_000);
            int treeCount = Math.Max(1, 100_000 / batch);
            var trees = new BPlusTree<int>[treeCount];
            var keys = new byte[treeCount][][];
            var extra = new byte[treeCount][][];
            for (int t = 0; t < treeCount; t++)
            {
                trees[t] = new BPlusTree<int>();
                keys[t] = Enumerable.Range(0, size).Select(_ => Key((ulong)random.NextInt64())).ToArray();
                foreach (var key in keys[t]) trees[t].TryAdd(key, 0);
                extra[t] = Enumerable.Range(0, batch).Select(_ => Key((ulong)random.NextInt64())).ToArray();
            }
            var tree = trees[0];
            var probes = Enumerable.Range(0, 1_000_000).Select(_ => keys[0][random.Next(size)]).ToArray();
            var misses = Enumerable.Range(0, 200_000).Select(_ => Key((ulong)random.NextInt64())).ToArray();

            double lookup = Measure.NanosecondsPerOperation(probes.Length, () =>
            {
                foreach (var probe in probes) tree.TryGetValue(probe, out _);
            });
            double miss = Measure.NanosecondsPerOperation(misses.Length, () =>
            {
                foreach (var probe in misses) tree.TryGetValue(probe, out _);
            });
            double insert = double.MaxValue, remove = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                for (int t = 0; t < treeCount; t++)
                {
                    foreach (var key in extra[t]) trees[t].TryAdd(key, 1);
                }
                insert = Math.Min(insert, stopwatch.Elapsed.TotalNanoseconds / (treeCount * batch));
                stopwatch.Restart();
                for (int t = 0; t < treeCount; t++)
                {
                    foreach (var key in extra[t]) trees[t].Remove(key);
                }
                remove = Math.Min(remove, stopwatch.Elapsed.TotalNanoseconds / (treeCount * batch));
            }
            double scan = Measure.NanosecondsPerOperation(tree.Count, () =>
            {
                var cursor = tree.Seek(KeyRange.All);
                while (cursor.MoveNext()) { }
            });
            Console.WriteLine($"{size,10:N0} {lookup,8:F0} {miss,8:F0} {insert,8:F0} {remove,8:F0} {scan,9:F1}   (height {tree.Height})");
            results.Add((size, lookup, insert));
        }
        Console.WriteLine($"ratio {large:N0} / 1,000: lookup x{results[1].Lookup / results[0].Lookup:F2}, insert x{results[1].Insert / results[0].Insert:F2} (ratio of log2 sizes: x{Math.Log2(large) / Math.Log2(1000):F2})");
    }

    private static void OneRowTransactions()
    {
        Console.WriteLine();
        Console.WriteLine("one-row transactions end to end (begin, write, commit, apply), into a table of 10^5 rows:");
        foreach (bool indexed in new[] { false, true })
        {
            var database = new Database();
            var table = database.CreateTable("bench", BenchRow.Definition("t", nameIndex: indexed));
            Fill(database, table, 100_000);
            var name = new byte[16];
            var buffer = new byte[64];
            ulong counter = 0;
            int score = 0;
            void InsertOne()
            {
                var write = database.BeginTransaction();
                Name(1_000_000_000 + counter++, name);
                int length = BenchRow.Write(buffer, 0, score++, name);
                write.Insert(table, buffer.AsSpan(0, length));
                database.Apply(write.Commit());
            }
            ulong updateId = 1;
            void UpdateOne()
            {
                var write = database.BeginTransaction();
                Name(updateId, name);
                int length = BenchRow.Write(buffer, updateId, score++, name);
                write.Update(table, buffer.AsSpan(0, length));
                database.Apply(write.Commit());
                updateId = updateId % 100_000 + 1;
            }
            const int n = 200_000;
            for (int i = 0; i < 200_000; i++) InsertOne();
            for (int i = 0; i < 200_000; i++) UpdateOne();
            double insert = Measure.NanosecondsPerOperation(n, () => { for (int i = 0; i < n; i++) InsertOne(); });
            double insertBytes = Measure.BytesPerOperation(n, () => { for (int i = 0; i < n; i++) InsertOne(); });
            double update = Measure.NanosecondsPerOperation(n, () => { for (int i = 0; i < n; i++) UpdateOne(); });
            double updateBytes = Measure.BytesPerOperation(n, () => { for (int i = 0; i < n; i++) UpdateOne(); });
            string kind = indexed ? "PK + unique hash + btree index" : "PK only";
            Console.WriteLine($"  {kind,-32} insert {insert,6:F0} ns ({insertBytes,4:F0} B allocated)   update {update,6:F0} ns ({updateBytes,4:F0} B)");
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
        Console.WriteLine($"one transaction inserting {rows:N0} rows (PK auto_inc, unique hash on name, btree on score):");
        var database = new Database();
        var table = database.CreateTable("bench", BenchRow.Definition("t", nameIndex: true));
        var name = new byte[16];
        var buffer = new byte[64];
        var write = database.BeginTransaction();
        var lookupName = new byte[16];
        var random = new Random(1);
        // Reads inside the transaction, with an empty overlay and then with a full one.
        double ReadCost(int inserted)
        {
            const int probes = 100_000;
            int found = 0;
            double ns = Measure.NanosecondsPerOperation(probes, () =>
            {
                for (int i = 0; i < probes; i++)
                {
                    Name((ulong)random.Next(1, Math.Max(2, inserted)), lookupName);
                    using var iterator = write.Find(table, 0, KeyBytes(lookupName));
                    if (iterator.MoveNext()) found++;
                }
            }, repeats: 3);
            return ns;
        }
        double before = ReadCost(0);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 1; i <= rows; i++)
        {
            Name((ulong)i, name);
            int length = BenchRow.Write(buffer, 0, i % 1000, name);
            write.Insert(table, buffer.AsSpan(0, length));
        }
        double insertNs = stopwatch.Elapsed.TotalNanoseconds / rows;
        double after = ReadCost(rows);
        stopwatch.Restart();
        var changes = write.Commit();
        double commitMs = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        database.Apply(changes);
        double applyMs = stopwatch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"  insert {insertNs:F0} ns/row in the transaction; commit {commitMs:F0} ms; apply {applyMs:F0} ms ({applyMs * 1e6 / rows:F0} ns/row)");
        Console.WriteLine($"  unique-index lookup inside the transaction: {before:F0} ns with an empty overlay, {after:F0} ns with {rows:N0} rows in it");
    }

    /// <summary>
    /// A distinct 16-character name per number whose leading characters vary, as user-chosen
    /// names do (sequential zero-padded numbers would all share their first bytes).
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

    private static byte[] KeyBytes(ReadOnlySpan<byte> utf8)
    {
        var key = new KeyWriter(stackalloc byte[64]);
        key.WriteUtf8(utf8);
        return key.ToArray();
    }

    private static void NonUniqueIndexes(int rows)
    {
        Console.WriteLine();
        Console.WriteLine($"non-unique index on score, {rows:N0} committed rows: hash (per-key sets) vs btree (index key + primary key):");
        Console.WriteLine($"  {"kind",-6} {"distinct",9} {"apply/row",10} {"find/key",10} {"find/row",9}");
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
                var stopwatch = Stopwatch.StartNew();
                database.Apply(changes);
                double apply = stopwatch.Elapsed.TotalNanoseconds / rows;
                var keys = Enumerable.Range(0, distinct).Select(KeyForScore).ToArray();
                int found = 0;
                using var read = database.BeginReadOnly();
                int lookups = Math.Min(distinct, 20_000);
                double find = Measure.NanosecondsPerOperation(lookups, () =>
                {
                    found = 0;
                    for (int i = 0; i < lookups; i++)
                    {
                        using var iterator = read.Find(table, 1, keys[i]);
                        while (iterator.MoveNext()) found++;
                    }
                }, repeats: 3);
                Console.WriteLine($"  {kind,-6} {distinct,9:N0} {apply,8:F0}ns {find,8:F0}ns {find * lookups / found,7:F1}ns");
            }
        }
    }

    private static byte[] KeyForScore(int score)
    {
        var key = new byte[4];
        KeyEncoding.WriteI32(key, score);
        return key;
    }
}
