using System.Security.Cryptography;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Modules;
using Interstice.Core.Storage;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;
using Interstice.Core.Transactions;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A data directory whose table <c>interstice.modules</c> records a module that neither the log
/// nor a snapshot creates tables for: a start refuses it, and <c>log verify</c>'s rehearsal says
/// the same; the rehearsal takes a needed binary's problem from the binaries check.
/// </summary>
public class ModuleRecordTests : IDisposable
{
    private const string Inconsistent =
        "the node's table interstice.modules records module `ghost`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";

    private static readonly string GhostHash = new('a', 64);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Logs what a node's load would log without its first step: the row of module <c>ghost</c>
    /// in <c>interstice.modules</c>, written by a transaction, and no module load event.
    /// </summary>
    private DurabilityOptions WriteRecordWithoutTables(string name)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(name));
        var database = new Database();
        var (moduleRows, _) = SystemModule.CreateTables(database);
        using var store = DurableStore.RecoverAndOpen(options, database, new RecoveredModules(), out var recovered);
        ChangeSet changes;
        using (var transaction = database.BeginTransaction())
        {
            new ModuleTable(moduleRows).Write(transaction, new ModuleTable.Entry("ghost", "0.1.0", GhostHash, Loaded: true));
            changes = transaction.Commit();
        }
        store.Log.AppendTransaction(recovered.LastTransactionId + 1, 1_700_000_000_000_000, [1], changes).Wait();
        database.Apply(changes);
        return options;
    }

    [Fact]
    public void A_start_refuses_a_module_record_whose_tables_nothing_creates()
    {
        var options = WriteRecordWithoutTables("start");
        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal(Inconsistent, error.Message);
    }

    [Fact]
    public void Log_verify_rehearsal_reports_a_module_record_whose_tables_nothing_creates()
    {
        var options = WriteRecordWithoutTables("verify");
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Null(report.Corruption);
        Assert.Equal(Inconsistent, report.Restore!.Failure);
    }

    [Fact]
    public void The_rehearsal_takes_a_needed_binary_s_problem_from_the_binaries_check()
    {
        var options = WriteRecordWithoutTables("binary");
        var directory = new DataDirectory(options.DataDirectory);
        Directory.CreateDirectory(directory.ModulesDirectory);
        byte[] other = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
        File.WriteAllBytes(Path.Combine(directory.ModulesDirectory, GhostHash + ".wasm"), other);

        var report = LogVerifier.Verify(options.DataDirectory);
        var binary = Assert.Single(report.ModuleBinaries);
        string actual = Convert.ToHexStringLower(SHA256.HashData(other));
        Assert.Equal(
            $"holds other bytes than its name says (their sha-256 is {actual}): a start that restores this module refuses it; put the module's binary back",
            binary.Problem);
        var needed = Assert.Single(report.Restore!.Modules);
        Assert.Equal(binary.Path, needed.Path);
        Assert.Equal(binary.Problem, needed.Problem);
    }

    [Fact]
    public void The_rehearsal_reports_a_needed_binary_absent_from_modules_as_missing()
    {
        var options = WriteRecordWithoutTables("missing");
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.Empty(report.ModuleBinaries);
        var needed = Assert.Single(report.Restore!.Modules);
        Assert.Equal("is missing: a start stops; put the module's binary back", needed.Problem);
    }
}
