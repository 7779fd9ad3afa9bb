namespace Interstice.Core.Durability.Snapshots;

/// <summary>
/// A snapshot file: a <see cref="SnapshotHeader"/>, then blocks framed like log records
/// (length u32, CRC-32C u32 of length and body, body), each body starting with its
/// <see cref="SnapshotBlockKind"/>: one catalog block, then per table a table block followed by
/// rows blocks holding exactly the table's row count, then an end block with the totals.
/// </summary>
internal static class SnapshotFormat
{
    /// <summary>The first 8 bytes of every snapshot: "INTSSNAP".</summary>
    public static ReadOnlySpan<byte> Magic => "INTSSNAP"u8;

    public const uint Version = 1;

    public const int HeaderSize = Format.FileHeader.Size;

    /// <summary>Rows go into blocks of about this size (a larger row gets a block of its own).</summary>
    public const int RowsBlockSize = 1 << 20;

    /// <summary>The largest block body: one row of the largest record, with room to spare.</summary>
    public const int MaxBlockSize = (1 << 30) + 64;
}

/// <summary>The first byte of a snapshot block's body.</summary>
internal enum SnapshotBlockKind : byte
{
    /// <summary>The node events in effect: count (varint), then each event's record body (bytes).</summary>
    Catalog = 1,
    /// <summary>A table: module and name (strings), next sequence value (u64), row count (varint).</summary>
    Table = 2,
    /// <summary>Rows of the last table, in primary-key order: count (varint), then each row (bytes).</summary>
    Rows = 3,
    /// <summary>The end: table count and total row count (varints). Nothing follows it.</summary>
    End = 4,
}
