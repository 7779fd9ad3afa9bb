using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Modules;

/// <summary>Authorities: at most one module holds each, a failed load or an unload gives them back, the node grants only what it may.</summary>
public class AuthorityTests
{
    [Fact]
    public void An_authority_is_held_by_one_module_at_a_time()
    {
        using var t = new TestNode("hello", "bank", "auction");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("rogue")));
        Assert.Equal("cannot load module rogue: authority `Scheduler` is held by module auction; unload it first", error.Message);

        t.Node.UnloadModule("auction");
        t.Node.LoadModule(ExampleModules.Load("rogue"));
        var again = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("auction")));
        Assert.Equal("cannot load module auction: authority `Scheduler` is held by module rogue; unload it first", again.Message);
    }

    [Fact]
    public void A_failed_load_gives_back_what_it_claimed()
    {
        using var t = new TestNode();
        // The authority is claimed, then instantiation fails (the start function traps).
        byte[] failing = GuestModule.Build("greedy", $$"""
            (module {{GuestModule.Runtime}} (func $start unreachable) (start $start))
            """, authorities: """["Gpu"]""");
        Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(failing));

        byte[] other = GuestModule.Build("painter", $"(module {GuestModule.Runtime})", authorities: """["Gpu"]""");
        t.Node.LoadModule(other);
        Assert.Equal("painter", Assert.Single(t.Node.Modules).Name);
    }

    [Fact]
    public void A_module_loses_its_authorities_when_it_is_unloaded_and_a_refused_one_claims_none()
    {
        using var t = new TestNode("bank");
        // rogue claims Scheduler but depends on hello, which is missing: refused, holding nothing.
        Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("rogue")));
        t.Node.LoadModule(ExampleModules.Load("auction"));
        t.Node.UnloadModule("auction");
        t.Node.LoadModule(ExampleModules.Load("hello"));
        t.Node.LoadModule(ExampleModules.Load("rogue"));
    }

    [Fact]
    public void The_node_grants_only_the_authorities_it_is_configured_with()
    {
        using var t = new TestNode(o => o with { GrantableAuthorities = new HashSet<string> { "Gpu" } }, "bank");
        var error = Assert.Throws<ModuleLoadException>(() => t.Node.LoadModule(ExampleModules.Load("auction")));
        Assert.Equal("cannot load module auction: authority `Scheduler` cannot be granted by this node (it grants: Gpu)", error.Message);
    }
}
