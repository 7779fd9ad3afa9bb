using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;
using static Interstice.Core.Tests.Support.TestTables;

namespace Interstice.Core.Tests.Durability;

/// <summary>Replay's set of the rows a record changes (a record that changes one row twice is refused).</summary>
public class ChangedRowsTests
{
    [Fact]
    public void Tells_rows_apart_by_table_and_key_and_forgets_them_for_the_next_record()
    {
        var database = new Database();
        var players = CreatePlayers(database);
        var others = CreatePlayers(database, name: "others");
        var rows = new ChangedRows();
        var longKey = StoredKey.From(Str(new string('k', 30)));

        Assert.True(rows.Add(players, StoredKey.From(U64(1))));
        Assert.True(rows.Add(others, StoredKey.From(U64(1))));
        Assert.True(rows.Add(players, longKey));
        Assert.False(rows.Add(players, StoredKey.From(U64(1))));
        Assert.False(rows.Add(players, StoredKey.From(Str(new string('k', 30)))));
        rows.Clear();
        Assert.True(rows.Add(players, StoredKey.From(U64(1))));
    }

    [Fact]
    public void Short_keys_cost_no_allocation_once_the_sets_have_grown()
    {
        var players = CreatePlayers(new Database());
        var rows = new ChangedRows();
        var keys = Enumerable.Range(1, 100).Select(i => StoredKey.From(U64((ulong)i))).ToArray();
        foreach (var key in keys) rows.Add(players, key);
        rows.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var key in keys) rows.Add(players, key);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
