using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Snapshots;
using Interstice.Core.Storage;

namespace Interstice.Core.Tests.Durability.Support;

/// <summary>
/// Rewrites a snapshot so that its checksums hold but its content does not fit: the state
/// recovered from the directory, plus a table <c>ghost.haunts</c> of a module its catalog does
/// not have. Tables are written in creation order, so loading fails at that last table, once
/// every other table (the node's own included) is filled.
/// </summary>
public static class MisfitSnapshot
{
    public const string Table = "ghost.haunts";

    /// <param name="dataDirectory">The data directory (recovered to build the state; left as it is apart from the snapshot).</param>
    /// <param name="snapshot">The snapshot to overwrite.</param>
    /// <param name="database">An empty database (with the tables the node creates before recovery, if any).</param>
    /// <param name="handler">The handler that understands the directory's modules.</param>
    public static void Rewrite(string dataDirectory, SnapshotFile snapshot, Database database, IRecoveryHandler handler)
    {
        var recovered = LogRecovery.Recover(new DurabilityOptions(dataDirectory), database, handler);
        TestSchema.CreateTable(database, "ghost", "haunts");
        SnapshotWriter.Write(SnapshotCut.Capture(database, snapshot.LastTransactionId, recovered.Catalog, recovered.LastTimestamp), snapshot.Path);
        // Its checksums hold: only its content is wrong.
        SnapshotReader.Read(snapshot, sink: null);
    }
}
