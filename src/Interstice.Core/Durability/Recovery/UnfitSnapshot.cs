using Interstice.Core.Durability.Snapshots;

namespace Interstice.Core.Durability.Recovery;

/// <summary>
/// A snapshot whose checksums hold but whose content does not fit (a table its catalog's modules
/// did not create, a row that is not a row of its table, rows out of key order, a unique-index
/// conflict, a catalog event that fails): recovery skips it like a damaged one.
/// </summary>
/// <param name="File">The snapshot.</param>
/// <param name="Reason">What does not fit.</param>
/// <param name="Offset">The byte offset of the block concerned, when there is one.</param>
public readonly record struct UnfitSnapshot(SnapshotFile File, string Reason, long? Offset)
{
    public override string ToString() => $"snapshot {File.Path} does not fit ({Reason}{(Offset is { } at ? $" at byte {at}" : "")})";
}
