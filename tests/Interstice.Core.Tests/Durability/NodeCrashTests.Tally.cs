using Interstice.Abi.Encoding;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

public partial class NodeCrashTests
{
    /// <summary>
    /// Module <c>tally</c>, beside <c>bank</c> in the crash test: its handler <c>count</c> of
    /// <c>bank.accounts.update</c> keeps each update it is given (the account's old and new row,
    /// as the event's encoded arguments) as a row of its table <c>updates</c>, whose auto_inc id
    /// follows the order the handler calls ran. So each transfer runs two handler calls after its
    /// commit, each a transaction of its own, owed by the transfer's transaction until it has run,
    /// and after every kill <see cref="CheckTally"/> finds whether one was lost or ran twice.
    /// </summary>
    private static byte[] Tally() => GuestModule.Build("tally", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          ;; The row at 100: id (u64, 0: the table generates it and writes it back, so zero it each
          ;; time), then the arguments as `bytes` (a one-byte LEB128 length: they are short).
          (func (export "interstice_reducer.count") (param $arguments i32) (param $length i32) (result i32)
            (i64.store (i32.const 100) (i64.const 0))
            (i32.store8 (i32.const 108) (local.get $length))
            (memory.copy (i32.const 109) (local.get $arguments) (local.get $length))
            ;; The insert's status is the reducer's result: a failed insert fails the handler (and the check shows it).
            (call $table_insert (i32.const 0) (i32.const 100) (i32.add (i32.const 9) (local.get $length)))
            ;; The bump allocator never frees: give back what the host allocated for the arguments.
            (global.set $heap (i32.const 1024))))
        """,
        types: """
            [{ "name": "Update", "struct": [ { "name": "id", "type": "u64" }, { "name": "accounts", "type": "bytes" } ] },
             { "name": "bank.Accounts", "struct": [ { "name": "owner", "type": "string" }, { "name": "balance", "type": "u64" }, { "name": "frozen", "type": "bool" } ] }]
            """,
        tables: """[{ "name": "updates", "row": "Update", "primary_key": "id", "auto_inc": [ "id" ], "indexes": [], "ephemeral": false }]""",
        reducers: """[{ "name": "count", "args": [ { "name": "old", "type": "bank.Accounts" }, { "name": "new", "type": "bank.Accounts" } ] }]""",
        subscriptions: """[{ "reducer": "count", "on": "bank.accounts.update" }]""",
        dependencies: """[{ "module": "bank", "version": "^0.1.0", "node": null }]""");

    /// <summary>
    /// Checks that <c>tally.updates</c> holds every account update that took effect exactly once,
    /// in commit order: per account, each update's old balance is the new balance of the one
    /// before (the first, the deposit, starts from 0), and the last one's new balance is the
    /// account's balance now. A handler call lost breaks the chain, one run twice repeats a link.
    /// Returns how many updates it holds.
    /// </summary>
    private static long CheckTally(Node node, string where)
    {
        Assert.True(node.Database.TryGetTable("tally", "updates", out var table), $"{where}: module tally's table is missing");
        var balances = new Dictionary<string, ulong>(StringComparer.Ordinal);
        long updates = 0;
        using (var read = node.Database.BeginReadOnly())
        {
            using var rows = read.Scan(table);
            while (rows.MoveNext())
            {
                var row = new ValueReader(rows.Current.Span);
                ulong id = row.ReadU64();
                var accounts = new ValueReader(row.ReadBytes());
                string owner = accounts.ReadString();
                ulong before = accounts.ReadU64();
                accounts.ReadBool();
                Assert.Equal(owner, accounts.ReadString());
                ulong after = accounts.ReadU64();
                ulong expected = balances.GetValueOrDefault(owner);
                Assert.True(before == expected,
                    $"{where}: tally's update #{id} of {owner} goes from {before}, but the update before it left {expected}: a handler call was lost or ran twice");
                balances[owner] = after;
                updates++;
            }
        }
        foreach (var (owner, balance) in ReadAccounts(node))
        {
            Assert.True(balances.GetValueOrDefault(owner) == balance,
                $"{where}: tally's last update of {owner} leaves {balances.GetValueOrDefault(owner)}, but the account holds {balance}: a handler call was lost");
        }
        return updates;
    }
}
