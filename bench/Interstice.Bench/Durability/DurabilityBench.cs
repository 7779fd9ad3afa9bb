using System.Buffers;
using System.Diagnostics;
using Interstice.Abi.Encoding;
using Interstice.Bench.Sqlite;
using Interstice.Bench.Support;
using Interstice.Core;
using Interstice.Core.Durability;
using Interstice.Core.Durability.IO;
using Interstice.Core.Durability.Snapshots;

namespace Interstice.Bench.Durability;

/// <summary>
/// <c>Interstice.Bench durability [quick] [commits|handlers|replay]</c> (one part only with
/// <c>commits</c>, <c>handlers</c> or <c>replay</c>), end to end through the node with the example
/// module <c>bench</c> (table <c>rows</c>: u64 primary key, a btree index on a u32 group, a
/// unique hash index on a string key, a bytes payload):
/// <list type="bullet">
/// <item>one-row insert transactions (reducer <c>insert_one</c>, each call returning once its
/// transaction is as durable as the policy promises) under each policy, with 1 and 16 calling
/// threads, beside SQLite in WAL mode (synchronous=FULL and NORMAL) doing the same inserts into
/// the same table shape (autocommit prepared inserts, each thread its own connection), in the same
/// process and run, on the same disk, every setup in turn for several rounds;</item>
/// <item>what a subscription handler adds to a durable call (<see cref="Handlers"/>);</item>
/// <item>a node's start on a data directory of 10^6 rows (10^5 with <c>quick</c>), replaying the
/// log, against reading the same log bytes, in this process (its code compiled by earlier starts)
/// and as a new process's first start, and against the floor of any store keeping one object per
/// row (<see cref="RestoreFloor"/>) and a restore keeping rows as positions in the log's pages
/// (<see cref="PagedRestore"/>); from a snapshot; how long reducers wait while a snapshot of
/// those rows is taken.</item>
/// </list>
/// </summary>
internal static class DurabilityBench
{
    public static int Run(IReadOnlyList<string> args)
    {
        if (args is [FirstStartMode, string directory, string rowCount]) return FirstStart(directory, int.Parse(rowCount));
        bool quick = args.Contains("quick");
        var duration = TimeSpan.FromSeconds(quick ? 0.5 : 1);
        int rounds = quick ? 3 : 5;
        int rows = quick ? 100_000 : 1_000_000;
        string module = Path.Combine(RepositoryPaths.Root, "artifacts", "modules", "bench.wasm");
        if (!File.Exists(module)) throw new BenchmarkException($"{module} is missing: run scripts/build-modules first");
        byte[] wasm = File.ReadAllBytes(module);
        string root = Directory.CreateTempSubdirectory("interstice-durability-bench-").FullName;
        try
        {
            Console.WriteLine($"durability benchmarks ({(quick ? "quick" : "full")}); .NET {Environment.Version}, {Environment.ProcessorCount} cores, SQLite {SqliteDatabase.Version}, files in {Path.GetTempPath()}");
            bool all = !args.Any(a => a is "commits" or "handlers" or "replay");
            if (all || args.Contains("commits")) Commits(root, wasm, duration, rounds);
            if (all || args.Contains("handlers")) Handlers(root, duration, rounds);
            if (all || args.Contains("replay")) Replay(root, wasm, rows);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    /// <summary>One system and caller count of the commit benchmark.</summary>
    private sealed record CommitSetup(string Label, int Callers, Func<string, TimeSpan, (double Rate, double RecordsPerSync)> Run);

    /// <summary>
    /// Every setup runs once per round, one after the other, for <paramref name="rounds"/>
    /// rounds: the disk's fsync latency swings with other jobs' I/O within seconds, so systems
    /// compared in the same round meet the same disk, and the ratio is the median of the rounds'.
    /// </summary>
    private static void Commits(string root, byte[] wasm, TimeSpan duration, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"one-row insert transactions, each acknowledged as its policy promises ({rounds} rounds of {duration.TotalSeconds:F1} s per setup, medians):");
        Console.WriteLine($"  {"system",-34} {"callers",7} {"tx/s",10} {"min",10} {"max",10} {"records/fsync",14}");
        var setups = new List<CommitSetup>();
        foreach (var policy in new[] { DurabilityPolicy.Sync, DurabilityPolicy.Interval, DurabilityPolicy.None })
        {
            string label = policy == DurabilityPolicy.Interval ? "interstice interval (50 ms)" : $"interstice {policy.ToString().ToLowerInvariant()}";
            foreach (int callers in new[] { 1, 16 })
                setups.Add(new CommitSetup(label, callers, (path, time) => NodeCommits(path, wasm, policy, callers, time)));
        }
        foreach (string synchronous in new[] { "FULL", "NORMAL" })
        {
            foreach (int callers in new[] { 1, 16 })
                setups.Add(new CommitSetup("sqlite WAL synchronous=" + synchronous, callers, (path, time) => (SqliteCommits(path + ".db", synchronous, callers, time), 0)));
        }
        var rates = setups.Select(_ => new List<double>()).ToArray();
        var perSync = setups.Select(_ => new List<double>()).ToArray();
        int run = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < setups.Count; i++)
            {
                string path = Path.Combine(root, $"commits-{run++}");
                var (rate, recordsPerSync) = setups[i].Run(path, duration);
                rates[i].Add(rate);
                perSync[i].Add(recordsPerSync);
                DeleteFiles(path);
            }
        }
        for (int i = 0; i < setups.Count; i++)
        {
            double records = Timing.Median(perSync[i]);
            Console.WriteLine($"  {setups[i].Label,-34} {setups[i].Callers,7} {Timing.Median(rates[i]),10:N0} {rates[i].Min(),10:N0} {rates[i].Max(),10:N0} {(records > 0 ? records.ToString("F1") : ""),14}");
        }
        double Ratio(string label, int callers, string against)
        {
            var ours = rates[setups.FindIndex(s => s.Label == label && s.Callers == callers)];
            var theirs = rates[setups.FindIndex(s => s.Label == against && s.Callers == callers)];
            return Timing.Median(ours.Select((rate, round) => rate / theirs[round]).ToList());
        }
        Console.WriteLine($"sync vs SQLite FULL, median of the rounds' ratios: x{Ratio("interstice sync", 16, "sqlite WAL synchronous=FULL"):F1} with 16 callers (goal: at least x5), " +
            $"x{Ratio("interstice sync", 1, "sqlite WAL synchronous=FULL"):F1} with 1");
    }

    /// <summary>
    /// What a subscription handler adds to a durable call: the example module <c>hello</c>'s
    /// reducer <c>hello</c> (a new name each call: one row inserted) under <c>sync</c> with 1
    /// and 16 callers, with module <c>caller</c> loaded, whose handler of
    /// <c>hello.greetings.insert</c> copies each greeting into its table (a second transaction
    /// per call, and the handler call the first one records as owed in
    /// <c>interstice.pending_handlers</c>, which the second deletes), against hello alone; the
    /// setups alternate for <paramref name="rounds"/> rounds. Log bytes per call say what the
    /// owed handler calls cost the log.
    /// </summary>
    private static void Handlers(string root, TimeSpan duration, int rounds)
    {
        string modules = Path.Combine(RepositoryPaths.Root, "artifacts", "modules");
        byte[] hello = File.ReadAllBytes(Path.Combine(modules, "hello.wasm"));
        byte[] caller = File.ReadAllBytes(Path.Combine(modules, "caller.wasm"));
        Console.WriteLine();
        Console.WriteLine($"a call that triggers a subscription handler, policy sync ({rounds} rounds of {duration.TotalSeconds:F1} s per setup, medians):");
        Console.WriteLine($"  {"setup",-34} {"callers",7} {"calls/s",10} {"min",10} {"max",10} {"log bytes/call",15}");
        var setups = new List<(string Label, int Callers, byte[][] Modules)>();
        foreach (int callers in new[] { 1, 16 })
        {
            setups.Add(("hello alone", callers, [hello]));
            setups.Add(("hello + caller's handler", callers, [hello, caller]));
        }
        var rates = setups.Select(_ => new List<double>()).ToArray();
        var bytes = setups.Select(_ => new List<double>()).ToArray();
        int run = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < setups.Count; i++)
            {
                string path = Path.Combine(root, $"handlers-{run++}");
                var (rate, logBytes) = HandlerCalls(path, setups[i].Modules, setups[i].Callers, duration);
                rates[i].Add(rate);
                bytes[i].Add(logBytes);
                DeleteFiles(path);
            }
        }
        for (int i = 0; i < setups.Count; i++)
        {
            Console.WriteLine($"  {setups[i].Label,-34} {setups[i].Callers,7} {Timing.Median(rates[i]),10:N0} {rates[i].Min(),10:N0} {rates[i].Max(),10:N0} {Timing.Median(bytes[i]),15:F0}");
        }
        foreach (int callers in new[] { 1, 16 })
        {
            var alone = rates[setups.FindIndex(s => s.Callers == callers && s.Modules.Length == 1)];
            var handled = rates[setups.FindIndex(s => s.Callers == callers && s.Modules.Length == 2)];
            Console.WriteLine($"with the handler, {callers} caller{(callers == 1 ? "" : "s")}: x{Timing.Median(handled.Select((rate, round) => rate / alone[round]).ToList()):F2} the calls/s of hello alone (median of the rounds' ratios)");
        }
    }

    /// <summary>Calls hello's <c>hello</c> with a new name each time from <paramref name="callers"/> threads on a sync node with <paramref name="modules"/> loaded; returns calls/s and log bytes per call.</summary>
    private static (double Rate, double LogBytesPerCall) HandlerCalls(string directory, byte[][] modules, int callers, TimeSpan duration)
    {
        long logBefore;
        long committed;
        double seconds;
        using (var node = new Interstice.Core.Node(new NodeOptions
        {
            RunScheduledReducers = false,
            Durability = new DurabilityOptions(directory) { Policy = DurabilityPolicy.Sync },
        }))
        {
            foreach (byte[] module in modules) node.LoadModule(module);
            logBefore = LogBytes(directory);
            long nextId = 0;
            (committed, seconds) = RunCallers(callers, duration, running =>
            {
                var buffer = new ArrayBufferWriter<byte>(64);
                long mine = 0;
                while (running())
                {
                    buffer.ResetWrittenCount();
                    var writer = new ValueWriter(buffer);
                    writer.WriteString("name-" + Interlocked.Increment(ref nextId));
                    writer.WriteVariant(0); // Mood::Happy
                    node.CallReducer("hello", "hello", buffer.WrittenSpan);
                    mine++;
                }
                return mine;
            });
        }
        return (committed / seconds, (double)(LogBytes(directory) - logBefore) / committed);
    }

    private static long LogBytes(string directory) =>
        new DataDirectory(directory).ListSegments().Sum(segment => new FileInfo(segment.Path).Length);

    /// <summary>Removes a run's data directory or SQLite files (the disk fills otherwise).</summary>
    private static void DeleteFiles(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        foreach (string suffix in new[] { ".db", ".db-wal", ".db-shm" })
        {
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
        }
    }

    private static (double Rate, double RecordsPerSync) NodeCommits(string directory, byte[] wasm, DurabilityPolicy policy, int callers, TimeSpan duration)
    {
        var hooks = new CountingHooks();
        using var node = new Interstice.Core.Node(new NodeOptions
        {
            RunScheduledReducers = false,
            Durability = new DurabilityOptions(directory) { Policy = policy, Hooks = hooks },
        });
        node.LoadModule(wasm);
        int syncsBefore = hooks.Syncs;
        long nextId = 0;
        var (committed, seconds) = RunCallers(callers, duration, running =>
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            var payload = new byte[BenchRows.PayloadLength];
            long mine = 0;
            while (running())
            {
                node.CallReducer("bench", "insert_one", BenchRows.InsertOneArguments(buffer, Interlocked.Increment(ref nextId), payload));
                mine++;
            }
            return mine;
        });
        int syncs = hooks.Syncs - syncsBefore;
        return (committed / seconds, syncs == 0 ? 0 : (double)committed / syncs);
    }

    private static double SqliteCommits(string path, string synchronous, int callers, TimeSpan duration)
    {
        using (var setup = SqliteDatabase.Open(path))
        {
            setup.Execute("PRAGMA journal_mode=WAL");
            setup.Execute(BenchRows.SqliteSchema);
        }
        long nextId = 0;
        var (committed, seconds) = RunCallers(callers, duration, running =>
        {
            using var connection = SqliteDatabase.Open(path);
            connection.SetBusyTimeout(60_000);
            connection.Execute($"PRAGMA synchronous={synchronous}");
            using var insert = connection.Prepare(BenchRows.SqliteInsert);
            var payload = new byte[BenchRows.PayloadLength];
            long mine = 0;
            while (running())
            {
                BenchRows.InsertSqlite(insert, Interlocked.Increment(ref nextId), payload);
                mine++;
            }
            return mine;
        });
        return committed / seconds;
    }

    /// <summary>
    /// Runs <paramref name="callers"/> threads of <paramref name="caller"/> for <paramref name="duration"/>:
    /// each commits while its argument returns true and returns how many it committed. Returns
    /// the commits of all threads and the seconds from their start to the last one's end.
    /// </summary>
    private static (long Committed, double Seconds) RunCallers(int callers, TimeSpan duration, Func<Func<bool>, long> caller)
    {
        long committed = 0;
        bool stop = false;
        Func<bool> running = () => !Volatile.Read(ref stop);
        var threads = new Thread[callers];
        for (int c = 0; c < callers; c++) threads[c] = new Thread(() => Interlocked.Add(ref committed, caller(running)));
        var stopwatch = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Start();
        Thread.Sleep(duration);
        Volatile.Write(ref stop, true);
        foreach (var thread in threads) thread.Join();
        return (committed, stopwatch.Elapsed.TotalSeconds);
    }

    private static void Replay(string root, byte[] wasm, int rows)
    {
        Console.WriteLine();
        Console.WriteLine($"a node's start on a data directory of {rows:N0} bench rows (best of 3), against reading the same log bytes;");
        Console.WriteLine("warm: files in the page cache; cold: evicted from it first (posix_fadvise DONTNEED), so both read the disk.");
        Console.WriteLine("start = recovery (log replay) + restoring the module from its stored binary; \"empty\" is the start of the same node with no rows");
        Console.WriteLine($"  {"log shape",-34} {"log MB",7} {"read warm",10} {"read cold",10} {"start warm",11} {"start cold",11} {"ratio warm",11} {"ratio cold",11} {"empty",8}");
        foreach (int perTransaction in new[] { 1, 1000 })
        {
            int count = perTransaction == 1 ? rows / 10 : rows;
            string directory = Path.Combine(root, $"replay-{perTransaction}");
            Populate(directory, wasm, count, perTransaction);
            var segments = new DataDirectory(directory).ListSegments();
            long bytes = segments.Sum(s => new FileInfo(s.Path).Length);
            double readWarm = Best(() => ReadAll(segments), warmUp: 1);
            double startWarm = Best(() => Start(directory, count), warmUp: 2);
            double readCold = PageCache.CanEvict ? Best(() => ReadAll(segments), before: () => Evict(segments)) : double.NaN;
            double startCold = PageCache.CanEvict ? Best(() => Start(directory, count), before: () => Evict(segments)) : double.NaN;
            string empty = Path.Combine(root, $"empty-{perTransaction}");
            Populate(empty, wasm, 0, 1);
            double startEmpty = Best(() => Start(empty, 0), warmUp: 1);
            string shape = perTransaction == 1 ? $"{count:N0} one-row transactions" : $"{count / perTransaction:N0} transactions of {perTransaction:N0} rows";
            Console.WriteLine($"  {shape,-34} {bytes / 1e6,7:F1} {readWarm,8:F1}ms {readCold,8:F1}ms {startWarm,9:F0}ms {startCold,9:F0}ms " +
                $"{startWarm / readWarm,10:F1}x {startCold / readCold,10:F1}x {startEmpty,6:F0}ms");
        }

        string snapshotDirectory = Path.Combine(root, "replay-1000");
        var logSegments = new DataDirectory(snapshotDirectory).ListSegments();
        // Where pages cannot be evicted, both the starts and the read find the log in the page cache.
        string cache = PageCache.CanEvict ? "cold" : "warm";
        double read = PageCache.CanEvict ? Best(() => ReadAll(logSegments), before: () => Evict(logSegments)) : Best(() => ReadAll(logSegments), warmUp: 1);
        var workstation = FirstStarts(snapshotDirectory, rows, logSegments, serverGc: false);
        var server = FirstStarts(snapshotDirectory, rows, logSegments, serverGc: true);
        Console.WriteLine($"the {rows:N0}-row log, a node's first start in a new process, {cache} (best of 3; the runtime compiles the code as the start runs it;");
        Console.WriteLine($"the runtime's own start-up not counted): {workstation.Start:F0} ms with workstation GC ({workstation.Start / read:F1}x the {cache} read of {read:F1} ms, " +
            $"GC pauses {workstation.Pauses:F0} ms), {server.Start:F0} ms with server GC ({server.Start / read:F1}x, GC pauses {server.Pauses:F0} ms)");
        var floor = new RestoreFloor(rows);
        double floorMs = Best(() => GC.KeepAlive(floor.Restore()), warmUp: 1);
        Console.WriteLine($"the floor of any store keeping one object per row (a yardstick for the goal of 3x the read): the same {rows:N0} rows, already decoded in memory,");
        Console.WriteLine($"each copied into its own array and filed in a presized Dictionary by id, nothing else (no reading, checks, ordered structure or index): " +
            $"{floorMs:F1} ms warm, {floorMs / read:F1}x the {cache} read");
        using (var empty = new Interstice.Core.Node(new NodeOptions { RunScheduledReducers = false }))
        {
            empty.LoadModule(wasm);
            if (!empty.Database.TryGetTable("bench", "rows", out var table)) throw new BenchmarkException("the bench module has no table rows");
            var paged = new PagedRestore(snapshotDirectory, table);
            void RestorePaged()
            {
                int restored = paged.Restore();
                if (restored != rows) throw new BenchmarkException($"the paged restore found {restored:N0} rows, not {rows:N0}");
            }
            double pagedMs = PageCache.CanEvict ? Best(RestorePaged, before: () => Evict(logSegments), warmUp: 1) : Best(RestorePaged, warmUp: 1);
            Console.WriteLine($"rows as positions in the log's own pages (a yardstick: no object per row; the same checks, keys and structures built over positions, side by side;");
            Console.WriteLine($"nothing a node could serve from yet): {pagedMs:F0} ms {cache}, {pagedMs / read:F1}x the {cache} read");
        }
        // What recovery's hand-over of the log's end saves each start: the log reading its last segment again.
        double reread = Best(() => Interstice.Core.Durability.Log.CommitLog.Open(new DurabilityOptions(snapshotDirectory)).Dispose(), warmUp: 1);
        Console.WriteLine($"the log reading its last segment again to find its end (CommitLog.Open alone; a start skips this: recovery hands the end over): {reread:F1} ms warm");
        string fromLog = Profile("from the log (1,000-row transactions)", snapshotDirectory, rows);
        double snapshot;
        (double Longest, double Median) before, first, second;
        var reports = new System.Collections.Concurrent.ConcurrentQueue<SnapshotReport>();
        using (var node = new Interstice.Core.Node(new NodeOptions
        {
            RunScheduledReducers = false,
            Durability = new DurabilityOptions(snapshotDirectory) { SnapshotWritten = reports.Enqueue },
        }))
        {
            // The start leaves its young objects to the next collections (see the last table):
            // pay for them now, or the first collection during the snapshot bills them to it.
            GC.Collect();
            GC.Collect();
            CallLatencies(node, () => Thread.Sleep(200));
            before = CallLatencies(node, () => Thread.Sleep(200));
            var stopwatch = Stopwatch.StartNew();
            first = CallLatencies(node, node.TakeSnapshot);
            snapshot = stopwatch.Elapsed.TotalMilliseconds;
            // A second snapshot needs a transaction after the first; the first compiled the snapshot's code.
            var buffer = new ArrayBufferWriter<byte>(64);
            node.CallReducer("bench", "insert_one", BenchRows.InsertOneArguments(buffer, rows + 1, new byte[BenchRows.PayloadLength]));
            second = CallLatencies(node, node.TakeSnapshot);
        }
        var snapshotFile = new DataDirectory(snapshotDirectory).ListSnapshots()[^1].Path;
        double load = Best(() => Start(snapshotDirectory, rows + 1), warmUp: 1);
        Console.WriteLine($"snapshot of {rows:N0} rows ({new FileInfo(snapshotFile).Length / 1e6:F1} MB): taking it (cut, write, fsync) {snapshot:F0} ms; " +
            $"a node's start from it (nothing left to replay) {load:F0} ms warm");
        var held = reports.Select(r => r.CommitsHeld.TotalMilliseconds).ToArray();
        Console.WriteLine($"commits waited for the cut (SnapshotReport.CommitsHeld) {held[0]:F3} ms, the process's first snapshot (its code compiled then), {held[1]:F3} ms the second");
        Console.WriteLine($"reducer calls (noop) meanwhile, one after another on another thread (the snapshot's writer takes the other core): longest {first.Longest:F2} ms, " +
            $"median {first.Median * 1000:F0} us (the second snapshot: longest {second.Longest:F2} ms, median {second.Median * 1000:F0} us; " +
            $"200 ms before them: longest {before.Longest:F2} ms, median {before.Median * 1000:F0} us)");

        Console.WriteLine();
        Console.WriteLine($"one warm start on {rows:N0} rows each, its cost beyond the wall clock: CPU time (2 cores), garbage collection during the start,");
        Console.WriteLine("and what the start leaves to later collections: two gen1 collections right after it (which bring its young objects to gen2)");
        Console.WriteLine($"  {"start",-34} {"wall",8} {"CPU",8} {"allocated",10} {"gen0/1/2",9} {"GC pause",9} {"after: 2 gen1",14}");
        Console.WriteLine(fromLog);
        Console.WriteLine(Profile("from the snapshot", snapshotDirectory, rows + 1));
    }

    /// <summary>
    /// Calls the reducer <c>noop</c> one call after another on another thread while
    /// <paramref name="work"/> runs; returns the longest call and the median, in ms: how long
    /// the work kept reducers waiting for the writer.
    /// </summary>
    private static (double Longest, double Median) CallLatencies(Interstice.Core.Node node, Action work)
    {
        var latencies = new List<double>();
        bool stop = false;
        var caller = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                long start = Stopwatch.GetTimestamp();
                node.CallReducer("bench", "noop", ReadOnlySpan<byte>.Empty);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        });
        caller.Start();
        Thread.Sleep(20);
        work();
        Volatile.Write(ref stop, true);
        caller.Join();
        return (latencies.Max(), Timing.Median(latencies));
    }

    /// <summary>One warm start on <paramref name="directory"/>, with what it cost beyond its wall-clock time (a line of the table).</summary>
    private static string Profile(string label, string directory, int rows)
    {
        Start(directory, rows);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double cpu = ProcessCpuTime.Milliseconds();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pause = GC.GetTotalPauseDuration();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var stopwatch = Stopwatch.StartNew();
        using var node = new Interstice.Core.Node(new NodeOptions { RunScheduledReducers = false, Durability = new DurabilityOptions(directory) });
        double wall = stopwatch.Elapsed.TotalMilliseconds;
        double cpuMs = ProcessCpuTime.Milliseconds() - cpu;
        double allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6;
        double pauseMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds;
        string counts = $"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
        stopwatch.Restart();
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        double after = stopwatch.Elapsed.TotalMilliseconds;
        GC.KeepAlive(node);
        return $"  {label,-34} {wall,6:F0}ms {cpuMs,6:F0}ms {allocatedMb,7:F0} MB {counts,9} {pauseMs,7:F0}ms {after,12:F0}ms";
    }

    private const string FirstStartMode = "first-start";

    /// <summary>
    /// The best of three first starts on <paramref name="directory"/>, each in a new process (this
    /// benchmark run with <see cref="FirstStartMode"/>) after evicting the log from the page cache:
    /// what a node's operator sees, with the JIT compiling the code as the start runs it, where
    /// the starts above run in a process that has run them before.
    /// </summary>
    private static (double Start, double Pauses) FirstStarts(string directory, int rows, IReadOnlyList<SegmentFile> segments, bool serverGc)
    {
        string program = Environment.ProcessPath ?? throw new BenchmarkException("cannot find this benchmark's executable to run it again");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(program) == "dotnet") arguments.Add(typeof(DurabilityBench).Assembly.Location);
        arguments.AddRange(["durability", FirstStartMode, directory, rows.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = serverGc ? "1" : "0" };
        (double Start, double Pauses) best = (double.MaxValue, 0);
        for (int i = 0; i < 3; i++)
        {
            if (PageCache.CanEvict) Evict(segments);
            var fields = ExternalProcess.Run(program, arguments, environment: environment).Split(' ');
            double start = double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
            if (start < best.Start) best = (start, double.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        return best;
    }

    /// <summary>The child side of <see cref="FirstStarts"/>: one start, timed; prints its milliseconds and the GC pauses during it.</summary>
    private static int FirstStart(string directory, int rows)
    {
        var pauses = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        Start(directory, rows);
        double start = stopwatch.Elapsed.TotalMilliseconds;
        double paused = (GC.GetTotalPauseDuration() - pauses).TotalMilliseconds;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{start:F1} {paused:F1}"));
        return 0;
    }

    /// <summary>A data directory whose node has the bench module and <paramref name="rows"/> rows, inserted <paramref name="perTransaction"/> per transaction.</summary>
    private static void Populate(string directory, byte[] wasm, int rows, int perTransaction)
    {
        using var node = new Interstice.Core.Node(new NodeOptions
        {
            RunScheduledReducers = false,
            Durability = new DurabilityOptions(directory) { Policy = DurabilityPolicy.None, SnapshotEveryRecords = 0, SnapshotEveryBytes = 0 },
        });
        node.LoadModule(wasm);
        var buffer = new ArrayBufferWriter<byte>(64);
        for (long start = 0; start < rows; start += perTransaction)
        {
            buffer.ResetWrittenCount();
            var writer = new ValueWriter(buffer);
            writer.WriteU64((ulong)start);
            writer.WriteU32((uint)Math.Min(perTransaction, rows - start));
            writer.WriteU32(BenchRows.PayloadLength);
            node.CallReducer("bench", "bulk_insert", buffer.WrittenSpan);
        }
    }

    private static void Evict(IReadOnlyList<SegmentFile> segments)
    {
        foreach (var segment in segments) PageCache.Evict(segment.Path);
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

    /// <summary>Starts a node on the directory (it restores everything) and checks it has the rows.</summary>
    private static void Start(string directory, int rows)
    {
        using var node = new Interstice.Core.Node(new NodeOptions { RunScheduledReducers = false, Durability = new DurabilityOptions(directory) });
        if (node.Database.TryGetTable("bench", "rows", out var table))
        {
            using var view = node.Database.BeginReadOnly();
            if (view.Count(table) != rows) throw new BenchmarkException($"the node restored {view.Count(table)} rows, expected {rows}");
        }
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

    /// <summary>Counts the log's fsyncs, to show how many records each one covers.</summary>
    private sealed class CountingHooks : LogFileHooks
    {
        private int _syncs;

        public int Syncs => Volatile.Read(ref _syncs);

        public override void AfterSync(string path) => Interlocked.Increment(ref _syncs);
    }
}
