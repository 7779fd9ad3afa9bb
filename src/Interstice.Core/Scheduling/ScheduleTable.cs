using System.Buffers;
using System.Buffers.Binary;
using Interstice.Abi.Encoding;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.Scheduling;

/// <summary>
/// The scheduled reducer calls, kept as rows of the system table <c>interstice.schedules</c> so
/// that they are durable and replayable like any other state: a schedule made by a transaction
/// that rolls back never existed. Calls are ordered by (due time, id), which is the order of the
/// table's btree index on <c>due</c> (ties in primary-key order).
/// </summary>
internal sealed class ScheduleTable(TableBinding table)
{
    private const int DueIndex = 0;
    private const int ModuleIndex = 1;

    public Table Storage => table.Storage;

    /// <summary>Queues a call; returns its id.</summary>
    public ulong Add(Transaction transaction, string module, string reducer, ReadOnlySpan<byte> arguments, long due)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + arguments.Length);
        var writer = new ValueWriter(buffer);
        writer.WriteU64(0); // auto_inc: the table's sequence gives the id
        writer.WriteU64((ulong)due);
        writer.WriteString(module);
        writer.WriteString(reducer);
        writer.WriteBytes(arguments);
        var stored = transaction.Insert(table.Storage, buffer.WrittenSpan);
        return BinaryPrimitives.ReadUInt64LittleEndian(stored.Span);
    }

    /// <summary>Deletes schedule <paramref name="id"/> if it belongs to <paramref name="module"/>; true when it did.</summary>
    public bool Cancel(Transaction transaction, string module, ulong id)
    {
        Span<byte> key = stackalloc byte[8];
        KeyEncoding.WriteU64(key, id);
        if (!transaction.TryGet(table.Storage, key, out var row) || Read(row.Span).Module != module) return false;
        return transaction.Delete(table.Storage, key);
    }

    /// <summary>Deletes a schedule that is being run.</summary>
    public void Delete(Transaction transaction, ulong id)
    {
        Span<byte> key = stackalloc byte[8];
        KeyEncoding.WriteU64(key, id);
        transaction.Delete(table.Storage, key);
    }

    /// <summary>
    /// The first call, in (due, id) order, that is due at <paramref name="now"/> and whose module
    /// <paramref name="isRunnable"/> accepts (calls of unloaded modules wait for them).
    /// </summary>
    public ScheduledCall? FirstDue(Transaction transaction, long now, Func<string, bool> isRunnable)
    {
        Span<byte> upper = stackalloc byte[8];
        KeyEncoding.WriteU64(upper, (ulong)Math.Max(0, now));
        var range = new KeyRange(KeyBound.Unbounded, KeyBound.Inclusive(upper.ToArray()));
        using var rows = transaction.Range(table.Storage, DueIndex, range);
        while (rows.MoveNext())
        {
            var call = Read(rows.Current.Span);
            if (isRunnable(call.Module)) return call;
        }
        return null;
    }

    /// <summary>The due time of the earliest call whose module <paramref name="isRunnable"/> accepts, or null.</summary>
    public long? EarliestDue(Transaction transaction, Func<string, bool> isRunnable) =>
        FirstDue(transaction, long.MaxValue, isRunnable)?.Due;

    /// <summary>Every pending call, in (due, id) order.</summary>
    public List<ScheduledCall> All(Transaction transaction)
    {
        var calls = new List<ScheduledCall>();
        using var rows = transaction.Range(table.Storage, DueIndex, KeyRange.All);
        while (rows.MoveNext()) calls.Add(Read(rows.Current.Span));
        return calls;
    }

    /// <summary>Deletes every call of <paramref name="module"/> (the module is being removed).</summary>
    public void DeleteModule(Transaction transaction, string module)
    {
        var key = new KeyWriter(stackalloc byte[KeyWriter.StackBufferSize]);
        var ids = new List<ulong>();
        try
        {
            key.WriteString(module);
            using var rows = transaction.Find(table.Storage, ModuleIndex, key.Written);
            while (rows.MoveNext()) ids.Add(Read(rows.Current.Span).Id);
        }
        finally
        {
            key.Dispose();
        }
        foreach (ulong id in ids) Delete(transaction, id);
    }

    private static ScheduledCall Read(ReadOnlySpan<byte> row)
    {
        var reader = new ValueReader(row);
        ulong id = reader.ReadU64();
        long due = (long)reader.ReadU64();
        string module = reader.ReadString();
        string reducer = reader.ReadString();
        byte[] arguments = reader.ReadBytes().ToArray();
        return new ScheduledCall(id, due, module, reducer, arguments);
    }
}
