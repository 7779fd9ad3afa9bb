using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

public partial class NodeCrashTests
{
    /// <summary>
    /// Module <c>tally</c>, beside <c>bank</c> in the crash test: its handler <c>count</c> of
    /// <c>bank.accounts.update</c> inserts a row (auto_inc id) into its table <c>updates</c> for
    /// every account update, so each transfer runs two handler calls after its commit, each a
    /// transaction of its own, owed by the transfer's transaction until it has run. After every
    /// kill, <c>updates</c> must hold exactly one row per account update that took effect: a
    /// handler call cut off by the kill is run by the restart, and none runs twice.
    /// </summary>
    private static byte[] Tally() => GuestModule.Build("tally", $$"""
        (module
          (import "interstice" "table_insert" (func $table_insert (param i32 i32 i32) (result i32)))
          {{GuestModule.Runtime}}
          (func (export "interstice_reducer.count") (param i32 i32) (result i32)
            ;; id 0: the table generates it (and writes it back into the buffer, so zero it each time)
            (i64.store (i32.const 100) (i64.const 0))
            ;; The insert's status is the reducer's result: a failed insert fails the handler (and the count shows it).
            (call $table_insert (i32.const 0) (i32.const 100) (i32.const 8))
            ;; The bump allocator never frees: give back what the host allocated for the arguments.
            (global.set $heap (i32.const 1024))))
        """,
        types: """
            [{ "name": "Update", "struct": [ { "name": "id", "type": "u64" } ] },
             { "name": "bank.Accounts", "struct": [ { "name": "owner", "type": "string" }, { "name": "balance", "type": "u64" }, { "name": "frozen", "type": "bool" } ] }]
            """,
        tables: """[{ "name": "updates", "row": "Update", "primary_key": "id", "auto_inc": [ "id" ], "indexes": [], "ephemeral": false }]""",
        reducers: """[{ "name": "count", "args": [ { "name": "old", "type": "bank.Accounts" }, { "name": "new", "type": "bank.Accounts" } ] }]""",
        subscriptions: """[{ "reducer": "count", "on": "bank.accounts.update" }]""",
        dependencies: """[{ "module": "bank", "version": "^0.1.0", "node": null }]""");

    /// <summary>The rows of <c>tally.updates</c> (one per account update the handler saw).</summary>
    private static long TallyRows(Node node)
    {
        Assert.True(node.Database.TryGetTable("tally", "updates", out var table), "module tally's table is missing");
        using var read = node.Database.BeginReadOnly();
        return read.Count(table);
    }
}
