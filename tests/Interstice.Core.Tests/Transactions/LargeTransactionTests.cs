using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Transactions;

/// <summary>A reducer writing many rows: reads and checks inside stay correct (their speed is measured in bench/).</summary>
public class LargeTransactionTests
{
    [Fact]
    public void HundredsOfThousandsOfRowsInOneTransaction()
    {
        const int n = 200_000;
        var database = new Database();
        var table = CreatePlayers(database, autoIncrement: true);
        Seed(database, table, new TestRow(0, -1, "committed"));
        using (var write = database.BeginTransaction())
        {
            for (int i = 0; i < n; i++)
            {
                write.Insert(table, new TestRow(0, i % 1000, "n" + i, i % 2 == 0 ? "even" : "odd").Encode());
                if (i % 20_000 == 0)
                {
                    Assert.Equal([(ulong)i + 2], Ids(write.Find(table, ByName, Str("n" + i))));
                    Assert.Throws<UniqueViolationException>(() => write.Insert(table, new TestRow(0, 0, "n" + i).Encode()));
                }
            }
            Assert.Equal(n + 1, write.Count(table));
            Assert.Equal(n / 1000, Ids(write.Find(table, ByScore, I32(7))).Count);
            var changes = write.Commit();
            Assert.Equal(n, changes.Rows.Length);
            database.Apply(changes);
        }
        using var read = database.BeginReadOnly();
        Assert.Equal(n + 1, read.Count(table));
        Assert.Equal(n / 2, Ids(read.Find(table, ByTag, Str("even"))).Count);
        Assert.Equal((ulong)n + 2, read.NextSequenceValue(table));
    }
}
