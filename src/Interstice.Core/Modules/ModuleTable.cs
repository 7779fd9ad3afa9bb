using System.Buffers;
using Interstice.Abi.Encoding;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Modules;

/// <summary>
/// The system table <c>interstice.modules</c>: one row per module this node has loaded and not
/// removed, saying which version and binary it runs and whether it is loaded now. A module with a
/// row was loaded before, so its <c>init</c> handlers do not run again.
/// </summary>
internal sealed class ModuleTable(TableBinding table)
{
    /// <summary>A row of the table.</summary>
    public sealed record Entry(string Name, string Version, string Hash, bool Loaded);

    /// <summary>Every row, by module name.</summary>
    public Dictionary<string, Entry> All(Transaction transaction)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        using var scan = transaction.Scan(table.Storage);
        while (scan.MoveNext())
        {
            var entry = Read(scan.Current.Span);
            entries[entry.Name] = entry;
        }
        return entries;
    }

    /// <summary>
    /// Why a start refuses <paramref name="records"/> (the table's rows), or null: the first
    /// module by name whose row records a binary hash that is not a sha-256 (the row is damaged;
    /// the hash must not become part of a path) or that has no tables in the recovered state
    /// (<paramref name="hasTables"/>), as the message a start stops with.
    /// </summary>
    public static string? Inconsistency(Dictionary<string, Entry> records, Func<string, bool> hasTables)
    {
        string? first = null;
        string? why = null;
        foreach (var record in records.Values)
        {
            if (first != null && string.CompareOrdinal(record.Name, first) >= 0) continue;
            if (InconsistencyOf(record, hasTables) is { } found) (first, why) = (record.Name, found);
        }
        return why;
    }

    private static string? InconsistencyOf(Entry record, Func<string, bool> hasTables)
    {
        const string Records = "the node's table interstice.modules records module";
        if (!RecordedHash.IsSha256(record.Hash))
            return $"{Records} `{record.Name}` with binary hash {RecordedHash.Describe(record.Hash)}, not a sha-256: the data directory is damaged";
        if (!hasTables(record.Name))
            return $"{Records} `{record.Name}`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";
        return null;
    }

    public bool TryGet(Transaction transaction, string name, out Entry entry)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            key.WriteString(name);
            if (transaction.TryGet(table.Storage, key.Written, out var row))
            {
                entry = Read(row.Span);
                return true;
            }
        }
        finally
        {
            key.Dispose();
        }
        entry = null!;
        return false;
    }

    /// <summary>Reads a row of the table; throws <see cref="AbiDecodeException"/> when it is not one.</summary>
    public static Entry Read(ReadOnlySpan<byte> row)
    {
        var reader = new ValueReader(row);
        return new Entry(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadBool());
    }

    /// <summary>The row of <paramref name="entry"/> (what <see cref="Read"/> reads).</summary>
    public static byte[] Encode(Entry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ValueWriter(buffer);
        writer.WriteString(entry.Name);
        writer.WriteString(entry.Version);
        writer.WriteString(entry.Hash);
        writer.WriteBool(entry.Loaded);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Inserts or replaces the row of <paramref name="entry"/>'s module.</summary>
    public void Write(Transaction transaction, Entry entry)
    {
        byte[] row = Encode(entry);
        if (TryGet(transaction, entry.Name, out _)) transaction.Update(table.Storage, row);
        else transaction.Insert(table.Storage, row);
    }

    public void Delete(Transaction transaction, string name)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        try
        {
            key.WriteString(name);
            transaction.Delete(table.Storage, key.Written);
        }
        finally
        {
            key.Dispose();
        }
    }
}
