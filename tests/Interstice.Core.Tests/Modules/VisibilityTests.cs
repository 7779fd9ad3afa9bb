using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Modules;

/// <summary>
/// Private modules are reachable only from modules on the same node: calls, queries and table
/// access from outside (clients, which the in-process API is) are refused at the boundary, and
/// subscription handlers cannot be called from outside at all.
/// </summary>
public class VisibilityTests
{
    [Fact]
    public void A_client_cannot_call_a_private_modules_reducers_or_queries()
    {
        using var t = new TestNode("hello", "caller");
        var call = t.Fails("caller", "poke", """["Ann"]""");
        Assert.Equal(CallFailure.PermissionDenied, call.Failure);
        Assert.Equal("caller.poke: module `caller` is private: only modules on this node can call it", call.Message);

        var query = Assert.Throws<CallFailedException>(() => t.Node.RunQueryJson("caller", "seen_count", "[]"));
        Assert.Equal(CallFailure.PermissionDenied, query.Failure);
        Assert.Single(t.Rows("hello", "greetings")); // nothing was greeted
    }

    [Fact]
    public void A_client_cannot_read_or_follow_a_private_modules_tables()
    {
        using var t = new TestNode("hello", "caller");
        Assert.Throws<UnauthorizedAccessException>(() => t.Node.ReadRows("caller", "seen"));
        Assert.Throws<UnauthorizedAccessException>(() => t.Node.Subscribe("caller", "seen", _ => { }));
    }

    [Fact]
    public void Modules_on_the_same_node_reach_a_private_module()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        // rogue (public) calls caller.poke_all (private), which calls hello.
        t.Node.CallReducerJson("rogue", "poke_batches", """[[["Ann", "Bo"]]]""");
        Assert.Contains(t.Rows("hello", "greetings"), row => row.Contains("\"Ann\""));
        // caller's subscription to hello's table ran (node-internal): its handler committed rows.
        Assert.Contains(t.Commits.Records, r => r.Module == "caller" && r.Function == "on_greeting" && r.Changes.Rows.Length == 1);
    }

    [Fact]
    public void Subscription_handlers_cannot_be_called_from_outside()
    {
        using var t = new TestNode("hello", "caller", "rogue");
        var handler = t.Fails("rogue", "audit_greeting", """[{"id": 9, "name": "x", "mood": "Happy", "message": "", "count": 1}]""");
        Assert.Equal(CallFailure.NoSuchFunction, handler.Failure);
        Assert.Equal("rogue.audit_greeting: reducer `audit_greeting` handles a subscription: only the node calls it", handler.Message);
        Assert.Equal(CallFailure.NoSuchFunction, t.Fails("hello", "setup").Failure);
    }

    [Fact]
    public void Unknown_modules_and_functions_are_named_in_the_error()
    {
        using var t = new TestNode("hello");
        var module = t.Fails("nobody", "hello");
        Assert.Equal((CallFailure.NoSuchModule, "nobody.hello: no module `nobody` is loaded on this node"), (module.Failure, module.Message));
        var reducer = t.Fails("hello", "goodbye");
        Assert.Equal((CallFailure.NoSuchFunction, "hello.goodbye: module `hello` has no reducer `goodbye`"), (reducer.Failure, reducer.Message));
    }
}
