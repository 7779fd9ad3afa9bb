using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

/// <summary>
/// Random transactions checked step by step against a model (a dictionary of rows): every
/// read path, uniqueness and existence errors, savepoints, iterators left open across writes,
/// the change set's net effects and order, and committed state after apply.
/// </summary>
public class TransactionModelTests
{
    private const int IdSpace = 60;
    private static readonly string[] Names = Enumerable.Range(0, 45).Select(i => "n" + i).ToArray();
    private static readonly string[] Tags = ["", "a", "b", "c\0", "c"];

    private sealed class Model
    {
        public SortedDictionary<ulong, TestRow> Rows = [];

        public Model Copy() => new() { Rows = new SortedDictionary<ulong, TestRow>(Rows) };

        public List<ulong> Scan(Func<TestRow, bool> filter) => Rows.Values.Where(filter).Select(r => r.Id).ToList();

        public List<ulong> ByScore(Func<TestRow, bool> filter) =>
            Rows.Values.Where(filter).OrderBy(r => r.Score).ThenBy(r => r.Id).Select(r => r.Id).ToList();
    }

    /// <summary>A read whose expected result is computed from the model at the moment it opens.</summary>
    private sealed record Read(string Name, Func<Transaction, RowIterator> Open, Func<Model, List<ulong>> Expected);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomTransactionsMatchTheModel(int seed)
    {
        var random = new Random(seed);
        var database = new Database();
        var table = CreatePlayers(database);
        var committed = new Model();

        for (int transactionNumber = 0; transactionNumber < 60; transactionNumber++)
        {
            var current = committed.Copy();
            var savepoints = new Stack<(Savepoint Point, Model State, int TouchCount)>();
            var touchOrder = new List<ulong>();
            var open = new List<(RowIterator Iterator, List<ulong> Expected, int Depth)>();
            var transaction = database.BeginTransaction();

            void Touch(ulong id)
            {
                if (!touchOrder.Contains(id)) touchOrder.Add(id);
            }

            int steps = random.Next(1, 120);
            for (int step = 0; step < steps; step++)
            {
                int op = random.Next(100);
                var row = RandomRow(random);
                if (op < 25)
                {
                    var expected = current.Rows.ContainsKey(row.Id) ? "primary key"
                        : current.Rows.Values.Any(r => r.Name == row.Name) ? "by_name" : null;
                    var error = Record.Exception(() => transaction.Insert(table, row.Encode()));
                    AssertOutcome(expected, error);
                    if (expected == null)
                    {
                        current.Rows[row.Id] = row;
                        Touch(row.Id);
                    }
                }
                else if (op < 45)
                {
                    string? expected = !current.Rows.ContainsKey(row.Id) ? "not found"
                        : current.Rows.Values.Any(r => r.Name == row.Name && r.Id != row.Id) ? "by_name" : null;
                    var error = Record.Exception(() => transaction.Update(table, row.Encode()));
                    AssertOutcome(expected, error);
                    if (expected == null)
                    {
                        current.Rows[row.Id] = row;
                        Touch(row.Id);
                    }
                }
                else if (op < 57)
                {
                    bool exists = current.Rows.Remove(row.Id);
                    Assert.Equal(exists, transaction.Delete(table, U64(row.Id)));
                    if (exists) Touch(row.Id);
                }
                else if (op < 80)
                {
                    var read = RandomRead(random, table);
                    var expected = read.Expected(current);
                    if (random.Next(3) == 0)
                    {
                        // Leave it open across later writes; it must still yield this snapshot.
                        open.Add((read.Open(transaction), expected, savepoints.Count));
                    }
                    else
                    {
                        Assert.True(expected.SequenceEqual(Ids(read.Open(transaction))), $"{read.Name} (transaction {transactionNumber}, step {step})");
                    }
                    var key = row.Id;
                    Assert.Equal(current.Rows.GetValueOrDefault(key), Get(transaction, table, key));
                    Assert.Equal(current.Rows.Count, transaction.Count(table));
                }
                else if (op < 86)
                {
                    savepoints.Push((transaction.CreateSavepoint(), current.Copy(), touchOrder.Count));
                }
                else if (op < 92 && savepoints.Count > 0)
                {
                    var (point, state, touchCount) = savepoints.Pop();
                    transaction.RollbackTo(point);
                    current = state;
                    touchOrder.RemoveRange(touchCount, touchOrder.Count - touchCount);
                    // Iterators opened inside the rolled-back savepoint are invalid now.
                    foreach (var stale in open.Where(o => o.Depth > savepoints.Count).ToList())
                    {
                        Assert.Throws<InvalidOperationException>(() => stale.Iterator.MoveNext());
                        open.Remove(stale);
                    }
                }
                else if (op < 97 && savepoints.Count > 0)
                {
                    transaction.Release(savepoints.Pop().Point);
                    for (int i = 0; i < open.Count; i++)
                    {
                        if (open[i].Depth > savepoints.Count) open[i] = open[i] with { Depth = savepoints.Count };
                    }
                }
                else if (open.Count > 0)
                {
                    var (iterator, expected, _) = open[random.Next(open.Count)];
                    open.RemoveAll(o => o.Iterator == iterator);
                    Assert.True(expected.SequenceEqual(Ids(iterator)), $"iterator left open (transaction {transactionNumber}, step {step})");
                }
            }
            foreach (var (iterator, expected, _) in open) Assert.Equal(expected, Ids(iterator));
            while (savepoints.Count > 0) transaction.Release(savepoints.Pop().Point);

            if (random.Next(5) == 0)
            {
                transaction.Rollback();
            }
            else
            {
                var changes = transaction.Commit();
                CheckChangeSet(changes, committed, current, touchOrder);
                database.Apply(changes);
                committed = current;
            }
            CheckCommitted(database, table, committed, random);
        }
    }

    private static void AssertOutcome(string? expected, Exception? error)
    {
        switch (expected)
        {
            case null:
                Assert.Null(error);
                break;
            case "not found":
                Assert.IsType<RowNotFoundException>(error);
                break;
            default:
                Assert.Equal(expected, Assert.IsType<UniqueViolationException>(error).Index);
                break;
        }
    }

    private static void CheckChangeSet(ChangeSet changes, Model before, Model after, List<ulong> touchOrder)
    {
        var expected = new List<(ulong Id, RowChangeKind Kind, TestRow? Old, TestRow? New)>();
        foreach (var id in touchOrder)
        {
            before.Rows.TryGetValue(id, out var old);
            after.Rows.TryGetValue(id, out var @new);
            if (old == null && @new != null) expected.Add((id, RowChangeKind.Insert, null, @new));
            else if (old != null && @new == null) expected.Add((id, RowChangeKind.Delete, old, null));
            else if (old != null && @new != null && old != @new) expected.Add((id, RowChangeKind.Update, old, @new));
        }
        var actual = new List<(ulong, RowChangeKind, TestRow?, TestRow?)>();
        foreach (var change in changes.Rows)
        {
            var old = change.OldRow.IsEmpty ? null : TestRow.Decode(change.OldRow);
            var @new = change.NewRow.IsEmpty ? null : TestRow.Decode(change.NewRow);
            Assert.Equal(U64((old ?? @new)!.Id), change.PrimaryKey.ToArray());
            actual.Add(((old ?? @new)!.Id, change.Kind, old, @new));
        }
        Assert.Equal(expected, actual);
    }

    private static void CheckCommitted(Database database, Table table, Model committed, Random random)
    {
        using var read = database.BeginReadOnly();
        Assert.Equal(committed.Rows.Values, Rows(read.Scan(table)));
        Assert.Equal(committed.Rows.Count, read.Count(table));
        for (int i = 0; i < 5; i++)
        {
            var check = RandomRead(random, table);
            Assert.True(check.Expected(committed).SequenceEqual(Ids(check.Open(read))), check.Name + " after apply");
        }
    }

    private static TestRow RandomRow(Random random) => new(
        (ulong)random.Next(1, IdSpace),
        random.Next(-3, 4) * 1000,
        Names[random.Next(Names.Length)],
        Tags[random.Next(Tags.Length)]);

    private static Read RandomRead(Random random, Table table)
    {
        switch (random.Next(6))
        {
            case 0:
                return new("scan", t => t.Scan(table), m => m.Scan(_ => true));
            case 1:
            {
                var (range, contains) = RandomRange(random, v => U64((ulong)v), 0, IdSpace);
                return new("scan range", t => t.Scan(table, range), m => m.Scan(r => contains((long)r.Id)));
            }
            case 2:
            {
                var name = Names[random.Next(Names.Length)];
                return new($"find name {name}", t => t.Find(table, ByName, Str(name)), m => m.Scan(r => r.Name == name));
            }
            case 3:
            {
                var tag = Tags[random.Next(Tags.Length)];
                return new($"find tag {tag}", t => t.Find(table, ByTag, Str(tag)), m => m.Scan(r => r.Tag == tag));
            }
            case 4:
            {
                int score = random.Next(-3, 4) * 1000;
                return new($"find score {score}", t => t.Find(table, ByScore, I32(score)), m => m.Scan(r => r.Score == score));
            }
            default:
            {
                var (range, contains) = RandomRange(random, v => I32((int)v), -3500, 3500);
                return new("score range", t => t.Range(table, ByScore, range), m => m.ByScore(r => contains(r.Score)));
            }
        }
    }

    private static (KeyRange Range, Func<long, bool> Contains) RandomRange(Random random, Func<long, byte[]> encode, long min, long max)
    {
        (KeyBound Bound, Func<long, bool> Test) Side(bool lower)
        {
            long value = random.NextInt64(min, max);
            if (value % 1000 != 0 && random.Next(2) == 0) value = value / 1000 * 1000;
            return random.Next(3) switch
            {
                0 => (KeyBound.Unbounded, _ => true),
                1 => (KeyBound.Inclusive(encode(value)), v => lower ? v >= value : v <= value),
                _ => (KeyBound.Exclusive(encode(value)), v => lower ? v > value : v < value),
            };
        }
        var low = Side(lower: true);
        var high = Side(lower: false);
        return (new KeyRange(low.Bound, high.Bound), v => low.Test(v) && high.Test(v));
    }
}
