namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// A snapshot that was written and published (<see cref="DurabilityOptions.SnapshotWritten"/>):
/// what it holds, and what it cost the node.
/// </summary>
/// <param name="LastTransactionId">The last transaction it holds.</param>
/// <param name="Path">The published file.</param>
/// <param name="Rows">The rows of every durable table it holds.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="CommitsHeld">How long commits waited for it: the cut, taken between two transactions.</param>
/// <param name="Writing">How long writing, syncing and publishing it took in the background, commits going on.</param>
public sealed record SnapshotReport(ulong LastTransactionId, string Path, long Rows, long Bytes, TimeSpan CommitsHeld, TimeSpan Writing)
{
    public override string ToString() =>
        $"snapshot of transaction {LastTransactionId} published ({Rows} rows, {Bytes} bytes, {System.IO.Path.GetFileName(Path)}): " +
        $"commits waited {CommitsHeld.TotalMilliseconds:F3} ms for its cut; written in the background in {Writing.TotalMilliseconds:F0} ms";
}
