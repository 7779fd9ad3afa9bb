using Interstice.Core.Durability;
using Interstice.Core.Durability.Format;
using Interstice.Core.Durability.Inspection;
using Interstice.Core.Durability.Verification;
using Interstice.Core.Tests.Durability.Support;

namespace Interstice.Core.Tests.Durability;

/// <summary>
/// A node event (module loaded or removed) whose module name is empty, with its checksum made
/// to hold (a forged record: no node writes one), is a payload that does not decode, in the log
/// and in a snapshot's catalog alike: recovery, verify and inspect name the file and the offset.
/// (It used to escape from the record's constructor as an <see cref="ArgumentException"/>.)
/// </summary>
public class ForgedNodeEventTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A log of module <c>game</c> loaded, removed and loaded again; with <paramref name="snapshot"/>, a snapshot after it.</summary>
    private static DurabilityOptions WriteLog(string directory, bool snapshot)
    {
        var options = CommitPathHarness.DefaultOptions(directory);
        using var node = new CommitPathHarness(options);
        node.LoadModule("game", "players");
        node.RemoveModule("game");
        node.LoadModule("game", "players");
        if (snapshot) node.Store.TakeSnapshot(node.Database).Wait();
        return options;
    }

    /// <summary>A node event record body with its module name emptied: the header, a zero length, and what followed the name.</summary>
    private static byte[] WithEmptyModuleName(byte[] body, string module) =>
        [.. body.AsSpan(0, LogFormat.RecordHeaderSize), 0, .. body.AsSpan(LogFormat.RecordHeaderSize + FieldWriter.StringSize(module))];

    [Theory]
    [InlineData(0)] // module loaded
    [InlineData(1)] // module removed
    public void A_logged_node_event_with_an_empty_module_name_is_damage_at_its_record(int record)
    {
        string directory = _temp.Combine($"log-{record}");
        WriteLog(directory, snapshot: false);
        string segment = LogFiles.Segments(directory).Single().Path;
        var file = FramedFile.Read(segment);
        file.Bodies[record] = WithEmptyModuleName(file.Bodies[record], "game");
        file.Write(segment);
        long offset = file.OffsetOf(record);

        var error = CommitPathHarness.RecoverExpectingDamage(directory);
        Assert.Equal((segment, offset), (error.File, error.Offset));
        Assert.Contains("empty module name", error.Reason);
        var report = LogVerifier.Verify(directory, new TestSchema.Handler());
        Assert.Equal((segment, offset), (report.Corruption?.File, report.Corruption?.Offset));
        var inspected = Assert.Throws<CorruptDataException>(() => LogInspector.Read(directory, new InspectionFilter()).ToList());
        Assert.Equal((segment, offset), (inspected.File, inspected.Offset));
    }

    [Fact]
    public void A_snapshot_whose_catalog_holds_an_event_with_an_empty_module_name_is_invalid_and_skipped()
    {
        string directory = _temp.Combine("snapshot");
        var options = WriteLog(directory, snapshot: true);
        var snapshot = new DataDirectory(directory).ListSnapshots().Single();
        var file = FramedFile.Read(snapshot.Path);
        // The catalog block: kind, event count (1: game's second load), the event's body as bytes.
        var catalog = file.Bodies[0];
        Assert.Equal(1, catalog[1]);
        var reader = new FieldReader(catalog.AsSpan(2));
        var forged = WithEmptyModuleName(reader.ReadBytes("event").ToArray(), "game");
        var block = new byte[2 + FieldWriter.BytesSize(forged.Length)];
        var writer = new FieldWriter(block);
        writer.WriteByte(catalog[0]);
        writer.WriteByte(1);
        writer.WriteBytes(forged);
        file.Bodies[0] = block;
        file.Write(snapshot.Path);

        var recovered = CommitPathHarness.RecoverOnly(options);
        Assert.Null(recovered.Snapshot);
        Assert.Contains(recovered.Warnings, w => w.Contains($"snapshot {snapshot.Path} is invalid (empty module name at byte {FramedFile.Read(snapshot.Path).OffsetOf(0)})", StringComparison.Ordinal));
        var report = LogVerifier.Verify(directory, new TestSchema.Handler());
        var check = Assert.Single(report.Snapshots);
        Assert.Contains("empty module name", check.Problem?.Reason);
    }
}
