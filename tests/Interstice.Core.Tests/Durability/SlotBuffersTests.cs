using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>The arrays a snapshot's cut copies slots into are kept for the next cut, emptied, and forgotten with their table.</summary>
public class SlotBuffersTests
{
    [Fact]
    public void A_cut_gets_back_the_last_cuts_array_emptied_while_it_is_large_enough()
    {
        var database = new Database();
        var players = TestTables.CreatePlayers(database);
        var buffers = new SlotBuffers();

        var first = buffers.Rent(players, 100);
        Assert.True(first.Length >= 100);
        Assert.All(first, Assert.Null);
        for (int i = 0; i < 100; i++) first[i] = RowSlot.Create([(byte)i], [1, 2, 3]);
        buffers.Return([new TableCut(players, 1, first, 100)]);

        Assert.All(first, Assert.Null);
        Assert.Same(first, buffers.Rent(players, 100));
        Assert.Same(first, buffers.Rent(players, first.Length));
        var larger = buffers.Rent(players, first.Length + 1);
        Assert.NotSame(first, larger);
        Assert.True(larger.Length > first.Length);
    }

    [Fact]
    public void The_arrays_of_tables_dropped_or_no_longer_cut_are_forgotten()
    {
        var database = new Database();
        var players = TestTables.CreatePlayers(database);
        var others = TestTables.CreatePlayers(database, name: "others");
        var buffers = new SlotBuffers();
        var ofPlayers = buffers.Rent(players, 10);
        var ofOthers = buffers.Rent(others, 10);
        buffers.Return([new TableCut(players, 1, ofPlayers, 0), new TableCut(others, 1, ofOthers, 0)]);

        database.DropTable(others);
        buffers.Return([new TableCut(players, 1, ofPlayers, 0), new TableCut(others, 1, ofOthers, 0)]);
        Assert.Same(ofPlayers, buffers.Rent(players, 10));
        Assert.NotSame(ofOthers, buffers.Rent(others, 10));

        buffers.Return([]);
        Assert.NotSame(ofPlayers, buffers.Rent(players, 10));
    }
}
