using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>What the node tests that make the commit log fail under a running node share: their options and their cleanup.</summary>
internal static class FailingLogNode
{
    /// <summary>A node's durability options in <paramref name="directory"/>, with hooks that see (and can hold or fail) the log's writes.</summary>
    public static DurabilityOptions Options(string directory, RecordingHooks hooks, Action<string>? warning = null) => CommitPathHarness.DefaultOptions(directory) with
    {
        Hooks = hooks,
        Warning = warning,
    };

    /// <summary>
    /// Lets held writes go (so that closing does not wait for ever) and closes the node. The log's
    /// failure it throws is ignored: the test has already reported it, or an assertion failed
    /// first and is the one to report.
    /// </summary>
    public static void Close(TestNode node, RecordingHooks hooks)
    {
        hooks.ReleaseWrites();
        try
        {
            node.Dispose();
        }
        catch (CommitLogFailedException)
        {
            // Reported already, or not the failure to report.
        }
    }
}
