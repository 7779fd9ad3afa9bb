using System.Security.Cryptography;
using Interstice.Core.Durability;
using Interstice.Core.Durability.Recovery;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Modules;
using Interstice.Core.Tests.Durability.Support;
using Interstice.Core.Tests.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A data directory whose table <c>interstice.modules</c> records a module that neither the log
/// nor a snapshot creates tables for, or a binary hash that is not a sha-256 (a path out of
/// <c>modules/</c>, control characters): a start refuses it before it builds a path from the
/// hash, and <c>log verify</c>'s rehearsal says the same; the rehearsal takes a needed binary's
/// problem from the binaries check.
/// </summary>
public class ModuleRecordTests : IDisposable
{
    private const string Escaping = "../escape";

    /// <summary>A terminal escape (set the window title) and a newline, as a hostile row could hold.</summary>
    private const string WithControls = "\u001b]0;x\u0007\nrm";

    private const string EscapingRefused =
        "the node's table interstice.modules records module `ghost` with binary hash recorded as \"../escape\" (9 characters), not a sha-256: the data directory is damaged";

    private const string WithControlsRefused =
        "the node's table interstice.modules records module `ghost` with binary hash recorded as \"\\u001b]0;x\\u0007\\u000arm\" (9 characters), not a sha-256: the data directory is damaged";

    private const string Inconsistent =
        "the node's table interstice.modules records module `ghost`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";

    private static readonly string GhostHash = new('a', 64);

    /// <summary>Module <c>ghost</c>, with one table: what a start restores when its row names its binary.</summary>
    private static readonly byte[] Ghost = GuestModule.Build("ghost", $"(module {GuestModule.Runtime})",
        types: """[{ "name": "Item", "struct": [ { "name": "id", "type": "u64" } ] }]""",
        tables: """[{ "name": "items", "row": "Item", "primary_key": "id", "auto_inc": [], "indexes": [], "ephemeral": false }]""");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Logs module <c>ghost</c>'s row in <c>interstice.modules</c> (loaded) naming <paramref name="hash"/>,
    /// written by a transaction as a load or reload writes it; <paramref name="withTables"/>: after a
    /// node loaded <see cref="Ghost"/> (its load event creates its tables), otherwise alone, as a
    /// load would log it without its first step.
    /// </summary>
    private DurabilityOptions WriteRecord(string name, string hash, bool withTables)
    {
        var options = CommitPathHarness.DefaultOptions(_temp.Combine(name));
        if (withTables)
        {
            using var node = new TestNode(o => o with { Durability = options });
            node.Node.LoadModule(Ghost);
        }
        using (var writer = new NodeLogWriter(options)) writer.Runs("ghost", hash);
        return options;
    }

    /// <summary>
    /// Logs <see cref="Ghost"/>'s load, then its row naming <see cref="Escaping"/>, which leads
    /// from <c>modules/</c> to the data directory's <c>escape.wasm</c>: Ghost's binary is put
    /// there, so that a start that followed the hash would find a module (another one than the
    /// hash says).
    /// </summary>
    private DurabilityOptions WriteEscapingRecord(string name)
    {
        var options = WriteRecord(name, Escaping, withTables: true);
        File.WriteAllBytes(Path.Combine(options.DataDirectory, "escape.wasm"), Ghost);
        return options;
    }

    [Fact]
    public void A_start_refuses_a_module_record_whose_tables_nothing_creates()
    {
        var options = WriteRecord("start", GhostHash, withTables: false);
        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal(Inconsistent, error.Message);
    }

    [Fact]
    public void Log_verify_rehearsal_reports_a_module_record_whose_tables_nothing_creates()
    {
        var options = WriteRecord("verify", GhostHash, withTables: false);
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Null(report.Corruption);
        Assert.Equal(Inconsistent, report.Restore!.Failure);
    }

    [Fact]
    public void The_rehearsal_takes_a_needed_binary_s_problem_from_the_binaries_check()
    {
        var options = WriteRecord("binary", GhostHash, withTables: false);
        var store = new ModuleStore(options.DataDirectory);
        Directory.CreateDirectory(store.Directory);
        byte[] other = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
        File.WriteAllBytes(store.PathOf(GhostHash), other);

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
        var options = WriteRecord("missing", GhostHash, withTables: false);
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.Empty(report.ModuleBinaries);
        var needed = Assert.Single(report.Restore!.Modules);
        Assert.Equal("is missing: a start stops; put the module's binary back", needed.Problem);
    }

    [Fact]
    public void A_start_refuses_a_recorded_hash_that_leads_out_of_modules_without_reading_what_it_reaches()
    {
        var options = WriteEscapingRecord("start-escape");
        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal(EscapingRefused, error.Message);
        Assert.Null(error.File);
    }

    [Fact]
    public void A_start_refuses_a_recorded_hash_with_control_characters_and_shows_them_escaped()
    {
        var options = WriteRecord("start-controls", WithControls, withTables: true);
        var error = Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options }));
        Assert.Equal(WithControlsRefused, error.Message);
    }

    [Fact]
    public void Log_verify_rehearsal_reports_a_recorded_hash_that_leads_out_of_modules_and_lists_no_path_from_it()
    {
        var options = WriteEscapingRecord("verify-escape");
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.False(report.IsHealthy);
        Assert.Null(report.Corruption);
        Assert.Equal(EscapingRefused, report.Restore!.Failure);
        Assert.Empty(report.Restore.Modules);
    }

    [Fact]
    public void Log_verify_rehearsal_reports_a_recorded_hash_with_control_characters_escaped()
    {
        var options = WriteRecord("verify-controls", WithControls, withTables: true);
        var report = LogVerifier.Verify(options.DataDirectory);
        Assert.Equal(WithControlsRefused, report.Restore!.Failure);
        Assert.Empty(report.Restore.Modules);
    }

    [Fact]
    public void The_first_inconsistent_record_by_module_name_is_the_one_reported()
    {
        // `ghost` has its tables and a damaged hash; `early` has a sound hash and no tables: it comes first.
        var options = WriteRecord("order", Escaping, withTables: true);
        using (var writer = new NodeLogWriter(options)) writer.Runs("early", GhostHash);
        string expected = "the node's table interstice.modules records module `early`, but neither the log nor the snapshot creates its tables: the data directory is inconsistent";
        Assert.Equal(expected, Assert.Throws<RecoveryException>(() => new TestNode(o => o with { Durability = options })).Message);
        Assert.Equal(expected, LogVerifier.Verify(options.DataDirectory).Restore!.Failure);
    }
}
