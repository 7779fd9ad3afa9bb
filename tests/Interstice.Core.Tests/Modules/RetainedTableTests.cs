using System.Text;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Modules;

/// <summary>
/// A module loaded again after an unload takes over its tables only when every type its rows
/// reach means the same: checked along chains and cycles of named types of any length, on a
/// small stack, since the module's schema may be hostile.
/// </summary>
public class RetainedTableTests
{
    private const int ChainLength = 10_000;

    /// <summary>
    /// Module "chain": table 'items' whose rows hold C00000, which holds C00001, ... whose last
    /// link holds a <paramref name="last"/>.
    /// </summary>
    private static byte[] Chain(string last)
    {
        var types = new StringBuilder("[");
        for (int i = 0; i < ChainLength; i++)
        {
            string field = i < ChainLength - 1 ? $$"""{ "name": "next", "type": "C{{i + 1:D5}}" }""" : $$"""{ "name": "x", "type": "{{last}}" }""";
            types.Append($$"""{ "name": "C{{i:D5}}", "struct": [ {{field}} ] },""");
        }
        types.Append("""{ "name": "Row", "struct": [ { "name": "id", "type": "u64" }, { "name": "c", "type": "C00000" } ] }]""");
        return Items(types.ToString());
    }

    /// <summary>Module "chain" whose rows hold a recursive type: Node { next: option&lt;Node&gt;, x: <paramref name="x"/> }.</summary>
    private static byte[] Recursive(string x) => Items($$"""
        [ { "name": "Node", "struct": [ { "name": "next", "type": "option<Node>" }, { "name": "x", "type": "{{x}}" } ] },
          { "name": "Row", "struct": [ { "name": "id", "type": "u64" }, { "name": "node", "type": "Node" } ] } ]
        """);

    private static byte[] Items(string types) => GuestModule.Build("chain", $"(module {GuestModule.Runtime})", types: types,
        tables: """[{ "name": "items", "row": "Row", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""");

    /// <summary>Runs <paramref name="action"/> on a thread with a 256 KiB stack, returning what it threw.</summary>
    private static Exception? OnSmallStack(Action action)
    {
        Exception? thrown = null;
        var thread = new Thread(() => thrown = Record.Exception(action), maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        return thrown;
    }

    [Fact]
    public void A_change_at_the_end_of_a_long_chain_of_named_types_is_found_without_deep_recursion()
    {
        using var t = new TestNode();
        t.Node.LoadModule(Chain("u8"));
        t.Node.UnloadModule("chain");

        var thrown = OnSmallStack(() => t.Node.LoadModule(Chain("u16")));

        var error = Assert.IsType<ModuleLoadException>(thrown);
        Assert.Contains("table `items` holds data from the module's last load and the new binary declares it differently", error.Message);
        Assert.Empty(t.Node.Modules);
    }

    [Fact]
    public void A_long_chain_of_named_types_declared_the_same_way_takes_its_table_over()
    {
        using var t = new TestNode();
        byte[] module = Chain("u8");
        t.Node.LoadModule(module);
        t.Node.UnloadModule("chain");

        t.Node.LoadModule(module);

        Assert.Equal("chain", Assert.Single(t.Node.Modules).Name);
    }

    [Theory]
    [InlineData("u8", true)]
    [InlineData("u16", false)]
    public void A_recursive_row_type_is_compared_without_looping(string x, bool same)
    {
        using var t = new TestNode();
        t.Node.LoadModule(Recursive("u8"));
        t.Node.UnloadModule("chain");

        var thrown = Record.Exception(() => t.Node.LoadModule(Recursive(x)));

        if (same)
        {
            Assert.Null(thrown);
        }
        else
        {
            Assert.Contains("table `items` holds data from the module's last load and the new binary declares it differently", Assert.IsType<ModuleLoadException>(thrown).Message);
        }
    }
}
