using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;

namespace Interstice.Core.Tests.Storage;

public class RowSlotSetTests
{
    [Fact]
    public void RandomAddsAndRemovesKeepPrimaryKeyOrderThroughPromotion()
    {
        var random = new Random(3);
        var slots = Enumerable.Range(0, 100).Select(i => new RowSlot([(byte)(i * 37 % 100)], [])).ToArray();
        var set = new RowSlotSet(slots[0], slots[1]);
        var reference = new SortedSet<int> { slots[0].PrimaryKey[0], slots[1].PrimaryKey[0] };
        for (int step = 0; step < 5000; step++)
        {
            var slot = slots[random.Next(slots.Length)];
            // Grow past the array limit first, then churn.
            if (step < 300 || random.Next(2) == 0)
            {
                set.Add(slot);
                reference.Add(slot.PrimaryKey[0]);
            }
            else if (reference.Count > 2)
            {
                set.Remove(slot);
                reference.Remove(slot.PrimaryKey[0]);
            }
            Assert.Equal(reference.Count, set.Count);
            Assert.Equal(reference.Min, set.First().PrimaryKey[0]);
            if (step % 50 == 0)
            {
                var seen = new List<int>();
                var cursor = set.GetCursor();
                while (cursor.MoveNext()) seen.Add(cursor.Current.PrimaryKey[0]);
                Assert.Equal(reference, seen);
            }
        }
    }
}
