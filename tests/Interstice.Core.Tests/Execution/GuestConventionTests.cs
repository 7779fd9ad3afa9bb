using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>
/// The Rust SDK's side of the conventions (docs/abi.md sections 8 and 9) against the node: rows
/// larger than the SDK's first buffer come through pending output, missing rows are none, a panic
/// reports its message.
/// </summary>
public class GuestConventionTests
{
    [Fact]
    public void A_row_larger_than_the_guests_buffer_comes_back_through_pending_output()
    {
        using var t = new TestNode("bench");
        string payload = new('a', 600); // 300 bytes: more than the SDK's 256-byte first buffer
        t.Node.CallReducerJson("bench", "insert_one", $$"""[7, 3, "seven", "{{payload}}"]""");
        string row = $$"""{"id":7,"group":3,"key":"seven","payload":"{{payload}}"}""";
        Assert.Equal([row], t.Rows("bench", "rows"));
        Assert.Equal(row, t.Node.RunQueryJson("bench", "get", "[7]"));
        Assert.Equal(row, t.Node.RunQueryJson("bench", "by_key", """["seven"]"""));
    }

    [Fact]
    public void A_missing_row_is_none()
    {
        using var t = new TestNode("bench");
        Assert.Equal("null", t.Node.RunQueryJson("bench", "get", "[8]"));
    }

    [Fact]
    public void Index_lookups_come_in_index_order_and_ranges_stop_at_their_bounds()
    {
        using var t = new TestNode("bench");
        t.Node.CallReducerJson("bench", "bulk_insert", "[0, 500, 2]");
        Assert.Equal("5", t.Node.RunQueryJson("bench", "group_size", "[42]"));
        // ids whose group (id % 100) is in 98..100, in (group, id) order
        Assert.Equal("[98,198,298,398,498,99,199,299,399,499]", t.Node.RunQueryJson("bench", "group_range", "[98, 100]"));
    }

    [Fact]
    public void A_panic_reports_its_message()
    {
        using var t = new TestNode("hello", "rogue");
        var error = t.Fails("rogue", "greet_then_trap", """["Ann"]""");
        Assert.StartsWith("panicked at 'greeted Ann, then panicked'", error.Reason);
    }
}
