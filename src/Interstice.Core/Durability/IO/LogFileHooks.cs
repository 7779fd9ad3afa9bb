namespace Interstice.Core.Durability.IO;

/// <summary>
/// Observation points around the commit log's and snapshots' file operations, for tests that check ordering
/// (a caller is acknowledged only after the fsync that covers its record) and failure handling
/// (an fsync that fails). The real file code runs either way; a hook only sees it, delays it
/// or throws as a failing disk would.
/// </summary>
internal class LogFileHooks
{
    /// <summary>Before <paramref name="count"/> bytes are written at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    public virtual void BeforeWrite(string path, long offset, int count) { }

    /// <summary>Before an fsync of <paramref name="path"/>.</summary>
    public virtual void BeforeSync(string path) { }

    /// <summary>After an fsync of <paramref name="path"/> returned.</summary>
    public virtual void AfterSync(string path) { }

    /// <summary>On the snapshot thread, after the cut and before the snapshot's rows are read and written.</summary>
    public virtual void BeforeSnapshotWrite(ulong lastTransactionId) { }
}
