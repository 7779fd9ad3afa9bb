using System.Buffers;
using System.Text;
using Interstice.Abi.Encoding;
using Interstice.Bench.Sqlite;
using Interstice.Bench.Storage;
using Interstice.Core;

namespace Interstice.Bench.Node;

/// <summary>
/// The node end to end, in process, beside SQLite (in memory, prepared statements) doing the
/// same work: a noop reducer call vs an empty transaction, a one-row insert reducer vs a one-row
/// insert transaction, and primary-key and unique-key lookups through queries vs SELECTs, with
/// 10^3 and 10^6 rows in the table. Uses the example module <c>bench</c> (scripts/build-modules).
/// </summary>
internal static class NodeBenchmark
{
    private const int PayloadLength = 16;

    public static int Run(string[] args)
    {
        bool quick = args.Contains("quick");
        string module = Path.Combine(FindRoot(), "artifacts", "modules", "bench.wasm");
        if (!File.Exists(module))
        {
            Console.Error.WriteLine($"{module} is missing: run scripts/build-modules first");
            return 1;
        }
        byte[] wasm = File.ReadAllBytes(module);
        int[] sizes = quick ? [1_000, 100_000] : [1_000, 1_000_000];
        Console.WriteLine($"node vs SQLite {SqliteDatabase.Version} (in memory, prepared statements); ns per operation, best of 5 runs");
        Console.WriteLine();
        Console.WriteLine($"| {"operation",-34} | {"rows",9} | {"node ns",9} | {"(GC ns)",8} | {"SQLite ns",9} | {"node/SQLite",11} |");
        Console.WriteLine($"|{new string('-', 36)}|{new string('-', 11)}|{new string('-', 11)}|{new string('-', 10)}|{new string('-', 11)}|{new string('-', 13)}|");
        var lookups = new Dictionary<(string, int), double>();
        foreach (int rows in sizes)
        {
            using var node = new Interstice.Core.Node(new NodeOptions { RunScheduledReducers = false });
            node.LoadModule(wasm);
            using var sqlite = SqliteDatabase.InMemory();
            Populate(node, sqlite, rows);
            var random = new Random(42);
            long[] ids = new long[200_000];
            for (int i = 0; i < ids.Length; i++) ids[i] = random.NextInt64(rows);

            Report("noop reducer / empty transaction", rows, Noop(node, sqlite, quick ? 50_000 : 200_000));
            Report("insert one row", rows, Insert(node, sqlite, rows, quick ? 10_000 : 40_000));
            var get = Get(node, sqlite, ids);
            Report("primary-key lookup (query get)", rows, get);
            var byKey = ByKey(node, sqlite, ids);
            Report("unique-key lookup (query by_key)", rows, byKey);
            lookups[("get", rows)] = get.Node.Nanoseconds;
            lookups[("by_key", rows)] = byKey.Node.Nanoseconds;
        }
        Console.WriteLine();
        foreach (string query in new[] { "get", "by_key" })
        {
            Console.WriteLine($"node {query} at {sizes[1]:N0} rows / at {sizes[0]:N0} rows: {lookups[(query, sizes[1])] / lookups[(query, sizes[0])]:F2}");
        }
        return 0;
    }

    private readonly record struct Pair(Measure.Result Node, double Sqlite);

    private static void Report(string operation, int rows, Pair pair) =>
        Console.WriteLine($"| {operation,-34} | {rows,9:N0} | {pair.Node.Nanoseconds,9:F0} | {pair.Node.GcPauseNanoseconds,8:F0} | {pair.Sqlite,9:F0} | {pair.Node.Nanoseconds / pair.Sqlite,11:F2} |");

    private static void Populate(Interstice.Core.Node node, SqliteDatabase sqlite, int rows)
    {
        const int batch = 10_000;
        for (int start = 0; start < rows; start += batch)
        {
            int count = Math.Min(batch, rows - start);
            node.CallReducer("bench", "bulk_insert", U64((ulong)start), U32((uint)count), U32(PayloadLength));
        }
        sqlite.Execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, key TEXT NOT NULL UNIQUE, payload BLOB NOT NULL)");
        sqlite.Execute("CREATE INDEX rows_grp ON rows (grp)");
        sqlite.Execute("BEGIN");
        using var insert = sqlite.Prepare("INSERT INTO rows (id, grp, key, payload) VALUES (?, ?, ?, ?)");
        var payload = new byte[PayloadLength];
        for (long id = 0; id < rows; id++) InsertSqlite(insert, id, payload);
        sqlite.Execute("COMMIT");
    }

    private static Pair Noop(Interstice.Core.Node node, SqliteDatabase sqlite, int count)
    {
        var nodeResult = Measure.Best(count, () =>
        {
            for (int i = 0; i < count; i++) node.CallReducer("bench", "noop", ReadOnlySpan<byte>.Empty);
        });
        using var begin = sqlite.Prepare("BEGIN");
        using var commit = sqlite.Prepare("COMMIT");
        double sqliteNs = Measure.Best(count, () =>
        {
            for (int i = 0; i < count; i++)
            {
                begin.Run();
                commit.Run();
            }
        }).Nanoseconds;
        return new Pair(nodeResult, sqliteNs);
    }

    private static Pair Insert(Interstice.Core.Node node, SqliteDatabase sqlite, int rows, int count)
    {
        long next = rows + 1_000_000_000L;
        var buffer = new ArrayBufferWriter<byte>(128);
        var payload = new byte[PayloadLength];
        var nodeResult = Measure.Best(count, () =>
        {
            for (int i = 0; i < count; i++)
            {
                long id = next++;
                buffer.ResetWrittenCount();
                var writer = new ValueWriter(buffer);
                writer.WriteU64((ulong)id);
                writer.WriteU32((uint)(id % 100));
                writer.WriteString(Key(id));
                writer.WriteBytes(payload);
                node.CallReducer("bench", "insert_one", buffer.WrittenSpan);
            }
        });
        next = rows + 1_000_000_000L;
        using var begin = sqlite.Prepare("BEGIN");
        using var insert = sqlite.Prepare("INSERT INTO rows (id, grp, key, payload) VALUES (?, ?, ?, ?)");
        using var commit = sqlite.Prepare("COMMIT");
        double sqliteNs = Measure.Best(count, () =>
        {
            for (int i = 0; i < count; i++)
            {
                begin.Run();
                InsertSqlite(insert, next++, payload);
                commit.Run();
            }
        }).Nanoseconds;
        return new Pair(nodeResult, sqliteNs);
    }

    private static Pair Get(Interstice.Core.Node node, SqliteDatabase sqlite, long[] ids)
    {
        var buffer = new byte[8];
        var nodeResult = Measure.Best(ids.Length, () =>
        {
            foreach (long id in ids)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)id);
                if (node.RunQuery("bench", "get", buffer)[0] != 1) throw new InvalidOperationException($"row {id} is missing");
            }
        });
        using var select = sqlite.Prepare("SELECT id, grp, key, payload FROM rows WHERE id = ?");
        double sqliteNs = Measure.Best(ids.Length, () =>
        {
            foreach (long id in ids)
            {
                select.Bind(1, id);
                if (select.QueryRow(4) == 0) throw new InvalidOperationException($"row {id} is missing");
            }
        }).Nanoseconds;
        return new Pair(nodeResult, sqliteNs);
    }

    private static Pair ByKey(Interstice.Core.Node node, SqliteDatabase sqlite, long[] ids)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var nodeResult = Measure.Best(ids.Length, () =>
        {
            foreach (long id in ids)
            {
                buffer.ResetWrittenCount();
                new ValueWriter(buffer).WriteString(Key(id));
                if (node.RunQuery("bench", "by_key", buffer.WrittenSpan)[0] != 1) throw new InvalidOperationException($"row {id} is missing");
            }
        });
        using var select = sqlite.Prepare("SELECT id, grp, key, payload FROM rows WHERE key = ?");
        Span<byte> key = stackalloc byte[32];
        double sqliteNs = Measure.Best(ids.Length, () =>
        {
            Span<byte> text = stackalloc byte[32];
            foreach (long id in ids)
            {
                int length = Encoding.UTF8.GetBytes(Key(id), text);
                select.Bind(1, text[..length]);
                if (select.QueryRow(4) == 0) throw new InvalidOperationException($"row {id} is missing");
            }
        }).Nanoseconds;
        return new Pair(nodeResult, sqliteNs);
    }

    private static void InsertSqlite(SqliteDatabase.Statement insert, long id, byte[] payload)
    {
        Span<byte> key = stackalloc byte[32];
        int length = Encoding.UTF8.GetBytes(Key(id), key);
        insert.Bind(1, id);
        insert.Bind(2, id % 100);
        insert.Bind(3, key[..length]);
        insert.BindBlob(4, payload);
        insert.Run();
    }

    /// <summary>The key the bench module's bulk_insert gives row <paramref name="id"/>.</summary>
    private static string Key(long id) => "key-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static AbiValue U64(ulong value) => new IntegerValue(Interstice.Abi.Types.TypeTag.U64, value);

    private static AbiValue U32(uint value) => new IntegerValue(Interstice.Abi.Types.TypeTag.U32, value);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Interstice.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("the repository root (with Interstice.slnx) was not found");
    }
}
