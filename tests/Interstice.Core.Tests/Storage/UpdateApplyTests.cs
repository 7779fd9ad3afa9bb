using Interstice.Core.Storage;
using Interstice.Core.Storage.Indexes;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Storage;

/// <summary>Applying updates: under an index key that did not change, the new row takes the old one's place.</summary>
public class UpdateApplyTests
{
    [Fact]
    public void An_update_that_keeps_an_index_key_leaves_a_frozen_view_of_that_index_its_old_row()
    {
        var database = new Database();
        var players = CreatePlayers(database);
        Seed(database, players, new TestRow(1, 10, "ann", "red"), new TestRow(2, 20, "bob", "red"));
        var scores = (BTreeIndex)players.Indexes[ByScore];
        var view = scores.Entries.Freeze();

        // The score (the index's key) stays; the row changes.
        Update(database, players, new TestRow(1, 10, "amy", "blue"));

        var seen = new List<TestRow>();
        var entries = view.GetEnumerator();
        while (entries.MoveNext()) seen.Add(TestRow.Decode(entries.Current));
        Assert.Equal([new TestRow(1, 10, "ann", "red"), new TestRow(2, 20, "bob", "red")], seen);
        view.Release();
        players.CheckInvariants();
        using var read = database.BeginReadOnly();
        Assert.Equal([new TestRow(1, 10, "amy", "blue")], Rows(read.Range(players, ByScore, KeyRange.Exactly(I32(10)))));
    }

    private static void Update(Database database, Table table, TestRow row)
    {
        var write = database.BeginTransaction();
        write.Update(table, row.Encode());
        CommitAndApply(database, write);
    }
}
