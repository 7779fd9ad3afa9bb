using Interstice.Abi;

namespace Interstice.Core.Execution;

/// <summary>Writes <see cref="NodeLogEntry"/>s to the sink the node was given, if any; a sink that throws is ignored.</summary>
internal sealed class NodeLog(Action<NodeLogEntry>? sink)
{
    public bool Enabled => sink != null;

    public void Write(LogLevel level, string? module, string? function, string message, bool fromModule = false)
    {
        if (sink == null) return;
        try
        {
            sink(new NodeLogEntry(level, module, function, message, fromModule));
        }
        catch (Exception)
        {
            // A log sink must not be able to fail the call that logs.
        }
    }
}
