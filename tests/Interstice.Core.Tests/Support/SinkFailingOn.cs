using Interstice.Core.Durability;

namespace Interstice.Core.Tests.Support;

/// <summary>A commit sink that throws ("sink down") on every record of one kind: the node faults there, after the log has the record.</summary>
internal sealed class SinkFailingOn(CommitKind kind) : ICommitSink
{
    public void Append(CommitRecord record)
    {
        if (record.Kind == kind) throw new IOException("sink down");
    }
}
