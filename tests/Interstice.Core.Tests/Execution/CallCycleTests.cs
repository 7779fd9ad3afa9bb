using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Execution;

/// <summary>A module cannot be re-entered: a call that would loop is reported as a cycle, not run.</summary>
public class CallCycleTests
{
    [Fact]
    public void A_call_back_into_a_module_on_the_call_stack_is_reported_as_a_cycle()
    {
        using var t = new TestNode("hello", "rogue");
        var error = t.Fails("rogue", "reenter");
        Assert.Equal(CallFailure.Failed, error.Failure);
        Assert.Equal("CallCycle: rogue.reenter: the call would re-enter module `rogue`, which is already on the call stack (rogue -> rogue)", error.Reason);
    }
}
