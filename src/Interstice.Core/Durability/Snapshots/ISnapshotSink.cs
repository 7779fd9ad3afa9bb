using Interstice.Core.Durability.Records;

namespace Interstice.Core.Durability.Snapshots;

/// <summary>Receives a snapshot's contents as <see cref="SnapshotReader"/> reads them, in file order.</summary>
internal interface ISnapshotSink
{
    void Catalog(NodeCatalog catalog);

    /// <summary>A table starts; its <paramref name="rowCount"/> rows follow.</summary>
    void Table(string module, string name, ulong nextSequence, long rowCount, long offset);

    /// <summary>A row of the current table (the span is valid during the call only).</summary>
    void Row(ReadOnlySpan<byte> row, long offset);
}
