using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

/// <summary>Readers see all of a commit or none of it, across tables and modules.</summary>
public class ConcurrencyTests
{
    private const int Accounts = 40;
    private const int Balance = 1000;

    [Fact]
    public void ConcurrentReadersNeverObserveHalfACommit()
    {
        var database = new Database();
        var accounts = CreatePlayers(database, "bank", "accounts");
        var ledger = CreatePlayers(database, "audit", "ledger", autoIncrement: true);
        // Account 0's score counts the commits; the ledger holds one row per commit.
        Seed(database, accounts, Enumerable.Range(0, Accounts + 1)
            .Select(i => new TestRow((ulong)i, i == 0 ? 0 : Balance, "a" + i, i % 2 == 0 ? "even" : "odd")).ToArray());

        bool done = false;
        var failures = new List<string>();
        int reads = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                try
                {
                    ReadAndCheck();
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e.ToString());
                }
                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        void ReadAndCheck()
        {
            using var read = database.BeginReadOnly();
            var rows = Rows(read.Scan(accounts));
            long total = rows.Where(r => r.Id != 0).Sum(r => (long)r.Score);
            long viaIndex = Rows(read.Range(accounts, ByScore, KeyRange.All)).Where(r => r.Id != 0).Sum(r => (long)r.Score);
            int commits = rows.Single(r => r.Id == 0).Score;
            long ledgerRows = read.Count(ledger);
            int even = Ids(read.Find(accounts, ByTag, Str("even"))).Count;
            lock (failures)
            {
                if (total != Accounts * Balance) failures.Add($"balances sum to {total}");
                if (viaIndex != total) failures.Add($"the score index sums to {viaIndex}, the rows to {total}");
                if (ledgerRows != commits) failures.Add($"{ledgerRows} ledger rows but {commits} commits");
                if (even != Accounts / 2 + 1) failures.Add($"{even} even accounts");
            }
        }
        foreach (var reader in readers) reader.Start();

        var random = new Random(5);
        // Commit until the readers have overlapped with plenty of commits.
        for (int commit = 1; commit <= 400 || Volatile.Read(ref reads) < 300; commit++)
        {
            using var write = database.BeginTransaction();
            var source = Get(write, accounts, (ulong)random.Next(1, Accounts + 1))!;
            var target = Get(write, accounts, (ulong)random.Next(1, Accounts + 1))!;
            if (source.Id != target.Id)
            {
                int amount = random.Next(1, 50);
                write.Update(accounts, (source with { Score = source.Score - amount }).Encode());
                write.Update(accounts, (target with { Score = target.Score + amount }).Encode());
            }
            write.Update(accounts, new TestRow(0, commit, "a0", "even").Encode());
            write.Insert(ledger, new TestRow(0, commit, "c" + commit).Encode());
            CommitAndApply(database, write);
        }
        Volatile.Write(ref done, true);
        foreach (var reader in readers) reader.Join();
        Assert.Empty(failures);
        Assert.True(reads > 0);
    }

    [Fact]
    public void ApplyWaitsForOpenReadersWhoKeepTheirView()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        Seed(database, table, new TestRow(1, 0, "a"));
        var write = database.BeginTransaction();
        Insert(write, table, new TestRow(2, 0, "b"));
        var changes = write.Commit();

        var reader = database.BeginReadOnly();
        var applying = new Thread(() => database.Apply(changes));
        applying.Start();
        // The apply cannot finish while the reader is open, however long we wait.
        Assert.False(applying.Join(200));
        Assert.Equal([1ul], Ids(reader.Scan(table)));
        reader.Dispose();
        applying.Join();
        using var after = database.BeginReadOnly();
        Assert.Equal([1ul, 2], Ids(after.Scan(table)));
    }

    [Fact]
    public void AThreadHoldingAReaderCannotApply()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        var write = database.BeginTransaction();
        Insert(write, table, new TestRow(1, 0, "a"));
        var changes = write.Commit();
        using (database.BeginReadOnly())
        {
            var error = Assert.Throws<InvalidOperationException>(() => database.Apply(changes));
            Assert.Contains("holds a read-only transaction", error.Message);
        }
        database.Apply(changes);
    }

    [Fact]
    public void AReaderMayBeDisposedOnAnotherThread()
    {
        var database = new Database();
        var table = CreatePlayers(database);
        var reader = database.BeginReadOnly();
        var other = new Thread(reader.Dispose);
        other.Start();
        other.Join();
        var write = database.BeginTransaction();
        Insert(write, table, new TestRow(1, 0, "a"));
        database.Apply(write.Commit());
    }
}
