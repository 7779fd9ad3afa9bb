using Interstice.Core.Durability;
using Interstice.Core.Durability.Log;
using Interstice.Core.Durability.Records;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Storage;
using Interstice.Core.Transactions;

namespace Interstice.Core.CrashWriter;

/// <summary>
/// <c>Interstice.Core.CrashWriter DATA-DIR sync|interval|none WRITERS</c>: recovers the data
/// directory, prints <c>ready LAST</c>, then runs WRITERS threads that each commit one-row
/// transactions through the log (serialized, as the executor does) and print <c>ack ID</c>
/// once the log acknowledges ID. Runs until killed; snapshots and segment rotation happen
/// along the way.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 3 || !Enum.TryParse<DurabilityPolicy>(args[1], ignoreCase: true, out var policy) || !int.TryParse(args[2], out int writers))
        {
            Console.Error.WriteLine("usage: Interstice.Core.CrashWriter DATA-DIR sync|interval|none WRITERS");
            return 2;
        }
        var options = new DurabilityOptions(args[0])
        {
            Policy = policy,
            FlushInterval = TimeSpan.FromMilliseconds(5),
            SegmentSize = 64 << 10,
            SnapshotEveryRecords = 400,
            SnapshotEveryBytes = 0,
        };
        var database = new Database();
        var handler = new CrashRows.Handler();
        var recovered = LogRecovery.Recover(options, database, handler);
        ulong last = recovered.LastTransactionId;
        using var store = DurableStore.Open(options, recovered);
        if (!database.TryGetTable(CrashRows.Module, CrashRows.Table, out var table))
        {
            var loaded = new ModuleLoadedRecord(++last, 0, CrashRows.Module, new byte[32], Array.Empty<byte>());
            store.Log.AppendEvent(loaded).Wait();
            handler.ModuleLoaded(database, loaded);
            database.TryGetTable(CrashRows.Module, CrashRows.Table, out table);
        }

        var output = Console.Out;
        output.WriteLine($"ready {last}");
        output.Flush();
        var executor = new object();
        var threads = new Thread[writers];
        for (int w = 0; w < writers; w++)
        {
            threads[w] = new Thread(() =>
            {
                while (true)
                {
                    LogTicket ticket;
                    ulong id;
                    lock (executor)
                    {
                        id = ++last;
                        ChangeSet changes;
                        using (var transaction = database.BeginTransaction())
                        {
                            transaction.Insert(table, CrashRows.Encode(id));
                            changes = transaction.Commit();
                        }
                        ticket = store.Log.AppendTransaction(id, (long)id, [], changes);
                        database.Apply(changes);
                        store.SnapshotIfDue(database);
                    }
                    ticket.Wait();
                    lock (output)
                    {
                        output.WriteLine($"ack {id}");
                        output.Flush();
                    }
                }
            }) { IsBackground = true };
            threads[w].Start();
        }
        foreach (var thread in threads) thread.Join();
        return 0;
    }
}
