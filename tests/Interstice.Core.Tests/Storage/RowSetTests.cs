using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Tests.Storage;

public class RowSetTests
{
    /// <summary>Row k is the array [k, version] under primary key [k]: the set must hand back the row it was given.</summary>
    private static byte[] Row(int key, int version) => [(byte)key, (byte)version];

    private static StoredKey Key(int key) => StoredKey.From([(byte)key]);

    [Fact]
    public void RandomAddsRemovesAndReplacementsKeepPrimaryKeyOrderThroughPromotion()
    {
        var random = new Random(3);
        var set = new RowSet(Key(0), Row(0, 0), Key(37), Row(37, 0));
        // The reference: the current version of each present key.
        var reference = new SortedDictionary<int, int> { [0] = 0, [37] = 0 };
        for (int step = 0; step < 5000; step++)
        {
            int key = random.Next(100) * 37 % 100;
            // Grow past the array limit first, then churn.
            int action = step < 300 ? 0 : random.Next(3);
            if (action == 0)
            {
                set.Add(Key(key), Row(key, step % 256));
                reference.TryAdd(key, step % 256);
            }
            else if (action == 1 && reference.Count > 2)
            {
                set.Remove([(byte)key]);
                reference.Remove(key);
            }
            else if (action == 2)
            {
                Assert.Equal(reference.ContainsKey(key), set.Replace([(byte)key], Row(key, step % 256)));
                if (reference.ContainsKey(key)) reference[key] = step % 256;
            }
            Assert.Equal(reference.Count, set.Count);
            var (firstKey, firstVersion) = reference.First();
            Assert.Equal(Row(firstKey, firstVersion), set.First());
            if (step % 50 == 0)
            {
                var seen = new List<(int, int)>();
                var cursor = set.GetCursor();
                while (cursor.MoveNext())
                {
                    var primaryKey = cursor.PrimaryKey;
                    Assert.Equal(cursor.Current[0], StoredKey.Bytes(in primaryKey)[0]);
                    seen.Add((cursor.Current[0], cursor.Current[1]));
                }
                Assert.Equal(reference.Select(p => (p.Key, p.Value)), seen);
            }
        }
    }
}
