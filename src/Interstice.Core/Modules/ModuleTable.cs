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
    /// Why a start refuses <paramref name="records"/> (the table's rows) when a module they
    /// record has no tables in the recovered state (<paramref name="hasTables"/>): the first such
    /// module by name, as the message a start stops with; null when every recorded module has its tables.
    /// </summary>
    public static string? RecordWithoutTables(Dictionary<string, Entry> records, Func<string, bool> hasTables)
    {
        string? first = null;
        foreach (string name in records.Keys)
        {
            if (!hasTables(name) && (first == null || string.CompareOrdinal(name, first) < 0)) first = name;
        }
        return first == null ? null
            : $"the node's table interstice.modules records module `{first}`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";
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
