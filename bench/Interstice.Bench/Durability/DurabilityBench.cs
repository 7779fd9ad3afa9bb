using System.Diagnostics;
using System.Text;
using Interstice.Bench.Sqlite;
using Interstice.Bench.Storage;
using Interstice.Core.Durability;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Bench.Durability;

/// <summary>
/// <c>Interstice.Bench durability [quick]</c>:
/// <list type="bullet">
/// <item>one-row insert transactions committed through the commit log under each policy, with 1
/// and 16 concurrent writers (serialized by an executor lock, each waiting for its
/// acknowledgement outside it), beside SQLite in WAL mode (synchronous=FULL and NORMAL, a table
/// with an integer primary key and a text column, prepared inserts in autocommit, 1 and 16
/// threads each with its own connection), in the same process and run, on the same disk;</item>
/// <item>recovery of 10^6 rows (10^5 with <c>quick</c>) from the log (as 10^6 one-row
/// transactions, and as 10^3 transactions of 10^3 rows) against reading the same bytes, and
/// from a snapshot; and what taking a snapshot's cut costs (the pause commits see).</item>
/// </list>
/// </summary>
internal static class DurabilityBench
{
    private const string Module = "bench";
    private const string TableName = "rows";

    public static int Run(IReadOnlyList<string> args)
    {
        bool quick = args.Contains("quick");
        var duration = TimeSpan.FromSeconds(quick ? 1 : 3);
        int rows = quick ? 100_000 : 1_000_000;
        string root = Directory.CreateTempSubdirectory("interstice-durability-bench-").FullName;
        try
        {
            Console.WriteLine($"durability benchmarks ({(quick ? "quick" : "full")}); .NET {Environment.Version}, {Environment.ProcessorCount} cores, SQLite {SqliteFile.Version}, files in {Path.GetTempPath()}");
            Commits(root, duration);
            Replay(root, rows);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    private static void Commits(string root, TimeSpan duration)
    {
        Console.WriteLine();
        Console.WriteLine($"one-row insert transactions, acknowledged per policy ({duration.TotalSeconds:F0} s each):");
        Console.WriteLine($"  {"system",-34} {"writers",7} {"tx/s",10} {"records/fsync",14}");
        var results = new Dictionary<string, double>();
        int run = 0;
        foreach (var policy in new[] { DurabilityPolicy.Sync, DurabilityPolicy.Interval, DurabilityPolicy.None })
        {
            foreach (int writers in new[] { 1, 16 })
            {
                var (rate, perSync) = IntersticeCommits(Path.Combine(root, $"log-{run++}"), policy, writers, duration);
                results[$"{policy} {writers}"] = rate;
                string label = policy == DurabilityPolicy.Interval ? "interstice interval (50 ms)" : $"interstice {policy.ToString().ToLowerInvariant()}";
                Console.WriteLine($"  {label,-34} {writers,7} {rate,10:N0} {(perSync > 0 ? perSync.ToString("F1") : "-"),14}");
            }
        }
        foreach (string synchronous in new[] { "FULL", "NORMAL" })
        {
            foreach (int writers in new[] { 1, 16 })
            {
                double rate = SqliteCommits(Path.Combine(root, $"sqlite-{run++}.db"), synchronous, writers, duration);
                results[$"sqlite {synchronous} {writers}"] = rate;
                Console.WriteLine($"  {"sqlite WAL synchronous=" + synchronous,-34} {writers,7} {rate,10:N0} {"",14}");
            }
        }
        Console.WriteLine($"sync with 16 writers vs SQLite FULL with 16: x{results["Sync 16"] / results["sqlite FULL 16"]:F1} (goal: at least x5); " +
            $"vs SQLite FULL with 1: x{results["Sync 16"] / results["sqlite FULL 1"]:F1}");
    }

    private static (double Rate, double RecordsPerSync) IntersticeCommits(string directory, DurabilityPolicy policy, int writers, TimeSpan duration)
    {
        var hooks = new CountingHooks();
        var database = new Database();
        var table = database.CreateTable(Module, BenchRow.Definition(TableName, nameIndex: false, autoIncrement: false));
        using var log = CommitLog.Open(new DurabilityOptions(directory) { Policy = policy, Hooks = hooks });
        var executor = new object();
        ulong nextId = 0;
        long committed = 0;
        bool stop = false;
        var threads = new Thread[writers];
        for (int w = 0; w < writers; w++)
        {
            threads[w] = new Thread(() =>
            {
                Span<byte> row = stackalloc byte[64];
                Span<byte> name = stackalloc byte[24];
                long mine = 0;
                while (!Volatile.Read(ref stop))
                {
                    LogTicket ticket;
                    lock (executor)
                    {
                        ulong id = ++nextId;
                        int length = BenchRow.Write(row, id, 0, Name(name, id));
                        ChangeSet changes;
                        using (var transaction = database.BeginTransaction())
                        {
                            transaction.Insert(table, row[..length]);
                            changes = transaction.Commit();
                        }
                        ticket = log.AppendTransaction(id, (long)id, [], changes);
                        database.Apply(changes);
                    }
                    ticket.Wait();
                    mine++;
                }
                Interlocked.Add(ref committed, mine);
            });
        }
        var stopwatch = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Start();
        Thread.Sleep(duration);
        Volatile.Write(ref stop, true);
        foreach (var thread in threads) thread.Join();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        return (committed / seconds, hooks.Syncs == 0 ? 0 : (double)log.RecordsAppended / hooks.Syncs);
    }

    private static double SqliteCommits(string path, string synchronous, int writers, TimeSpan duration)
    {
        using (var setup = new SqliteFile(path))
        {
            setup.Execute("PRAGMA journal_mode=WAL");
            setup.Execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        }
        long nextId = 0;
        long committed = 0;
        bool stop = false;
        var threads = new Thread[writers];
        for (int w = 0; w < writers; w++)
        {
            threads[w] = new Thread(() =>
            {
                using var connection = new SqliteFile(path);
                connection.SetBusyTimeout(60_000);
                connection.Execute($"PRAGMA synchronous={synchronous}");
                using var insert = connection.Prepare("INSERT INTO rows (id, name) VALUES (?, ?)");
                Span<byte> name = stackalloc byte[24];
                long mine = 0;
                while (!Volatile.Read(ref stop))
                {
                    ulong id = (ulong)Interlocked.Increment(ref nextId);
                    insert.Bind(1, (long)id);
                    insert.Bind(2, Name(name, id));
                    insert.Run();
                    mine++;
                }
                Interlocked.Add(ref committed, mine);
            });
        }
        var stopwatch = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Start();
        Thread.Sleep(duration);
        Volatile.Write(ref stop, true);
        foreach (var thread in threads) thread.Join();
        return committed / stopwatch.Elapsed.TotalSeconds;
    }

    private static ReadOnlySpan<byte> Name(Span<byte> buffer, ulong id)
    {
        "name-"u8.CopyTo(buffer);
        id.TryFormat(buffer[5..], out int digits);
        return buffer[..(5 + digits)];
    }

    private static void Replay(string root, int rows)
    {
        Console.WriteLine();
        Console.WriteLine($"recovery of {rows:N0} rows into a table with a u64 primary key (best of 3), against reading the same log bytes;");
        Console.WriteLine("warm: files in the page cache; cold: evicted from it first (posix_fadvise), so both read the disk:");
        Console.WriteLine("(\"first\": the first recovery of the process, before the JIT has optimized the code, as at a node's start)");
        Console.WriteLine($"  {"log shape",-34} {"log MB",7} {"read warm",10} {"read cold",10} {"recover warm",13} {"recover cold",13} {"ratio warm",11} {"ratio cold",11} {"rows/s",9} {"first",10}");
        foreach (int perTransaction in new[] { 1, 1000 })
        {
            string directory = Path.Combine(root, $"replay-{perTransaction}");
            WriteLog(directory, rows, perTransaction);
            var segments = new DataDirectory(directory).ListSegments();
            long bytes = segments.Sum(s => new FileInfo(s.Path).Length);
            double readWarm = Best(() => ReadAll(segments), warmUp: 1);
            var first = Stopwatch.StartNew();
            Recover(directory, rows);
            double recoverFirst = first.Elapsed.TotalMilliseconds;
            double recoverWarm = Best(() => Recover(directory, rows), warmUp: 3);
            double readCold = PageCache.CanEvict ? Best(() => ReadAll(segments), before: () => Evict(segments)) : double.NaN;
            double recoverCold = PageCache.CanEvict ? Best(() => Recover(directory, rows), before: () => Evict(segments)) : double.NaN;
            string shape = perTransaction == 1 ? $"{rows:N0} one-row transactions" : $"{rows / perTransaction:N0} transactions of {perTransaction:N0} rows";
            Console.WriteLine($"  {shape,-34} {bytes / 1e6,7:F1} {readWarm,8:F1}ms {readCold,8:F1}ms {recoverWarm,11:F0}ms {recoverCold,11:F0}ms " +
                $"{recoverWarm / readWarm,10:F1}x {recoverCold / readCold,10:F1}x {rows / recoverWarm / 1000,8:F2}M {recoverFirst,9:F0}ms");
        }

        string snapshotDirectory = Path.Combine(root, "snapshot");
        var database = WriteLog(snapshotDirectory, rows, 1000);
        var catalog = new NodeCatalog([new ModuleLoadedRecord(1, 0, Module, new byte[32], Array.Empty<byte>())]);
        ulong last = (ulong)(rows / 1000 + 1);
        double cut = Best(() => SnapshotCut.Capture(database, last, catalog, 0, new BeforeImages()), warmUp: 1);
        var layout = new DataDirectory(snapshotDirectory);
        string path = layout.SnapshotPath(last);
        double write = Best(() => SnapshotWriter.Write(SnapshotCut.Capture(database, last, catalog, 0, new BeforeImages()), path));
        foreach (var segment in layout.ListSegments()) File.Delete(segment.Path);
        double load = Best(() => Recover(snapshotDirectory, rows), warmUp: 1);
        Console.WriteLine($"snapshot of {rows:N0} rows ({new FileInfo(path).Length / 1e6:F1} MB): cut {cut:F1} ms (commits wait this long), " +
            $"write and fsync {write:F0} ms (in the background), load {load:F0} ms");
    }

    private static void Evict(IReadOnlyList<SegmentFile> segments)
    {
        foreach (var segment in segments) PageCache.Evict(segment.Path);
    }

    /// <summary>A log holding a module load and <paramref name="rows"/> inserted rows, <paramref name="perTransaction"/> per transaction; returns the database it describes.</summary>
    private static Database WriteLog(string directory, int rows, int perTransaction)
    {
        var database = new Database();
        var table = database.CreateTable(Module, BenchRow.Definition(TableName, nameIndex: false, autoIncrement: false));
        using var log = CommitLog.Open(new DurabilityOptions(directory) { Policy = DurabilityPolicy.None });
        log.AppendEvent(new ModuleLoadedRecord(1, 0, Module, new byte[32], Array.Empty<byte>()));
        Span<byte> row = stackalloc byte[64];
        Span<byte> name = stackalloc byte[24];
        ulong id = 0;
        for (ulong transactionId = 2; id < (ulong)rows; transactionId++)
        {
            ChangeSet changes;
            using (var transaction = database.BeginTransaction())
            {
                for (int i = 0; i < perTransaction && id < (ulong)rows; i++)
                {
                    id++;
                    transaction.Insert(table, row[..BenchRow.Write(row, id, (int)id, Name(name, id))]);
                }
                changes = transaction.Commit();
            }
            log.AppendTransaction(transactionId, (long)transactionId, [], changes);
            database.Apply(changes);
        }
        return database;
    }

    private static void ReadAll(IReadOnlyList<SegmentFile> segments)
    {
        var buffer = new byte[1 << 20];
        foreach (var segment in segments)
        {
            using var file = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            while (file.Read(buffer, 0, buffer.Length) > 0) { }
        }
    }

    private static void Recover(string directory, int rows)
    {
        var database = new Database();
        LogRecovery.Recover(new DurabilityOptions(directory), database, new Handler());
        database.TryGetTable(Module, TableName, out var table);
        using var view = database.BeginReadOnly();
        if (view.Count(table) != rows) throw new InvalidOperationException($"recovered {view.Count(table)} rows, expected {rows}");
    }

    /// <summary>
    /// The best of three runs after <paramref name="warmUp"/> untimed ones (so that the JIT has
    /// optimized the code), in milliseconds, each after <paramref name="before"/> and a
    /// collection so that runs start alike.
    /// </summary>
    private static double Best(Action run, Action? before = null, int warmUp = 0)
    {
        for (int i = 0; i < warmUp; i++) run();
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            before?.Invoke();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var stopwatch = Stopwatch.StartNew();
            run();
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    /// <summary>Creates the benchmark table when the log's module load is replayed.</summary>
    private sealed class Handler : IRecoveryHandler
    {
        public void ModuleLoaded(Database database, ModuleLoadedRecord record) =>
            database.CreateTable(record.Module, BenchRow.Definition(TableName, nameIndex: false, autoIncrement: false));

        public void ModuleRemoved(Database database, ModuleRemovedRecord record) => database.DropModule(record.Module);

        public void ValidateRow(Table table, ReadOnlySpan<byte> row) { }
    }

    /// <summary>Counts the log's fsyncs, to show how many records each one covers.</summary>
    private sealed class CountingHooks : LogFileHooks
    {
        private int _syncs;

        public int Syncs => Volatile.Read(ref _syncs);

        public override void AfterSync(string path) => Interlocked.Increment(ref _syncs);
    }
}
