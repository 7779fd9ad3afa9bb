namespace Interstice.Cli.Commands.Wasm.Spec;

/// <summary>Counts of passed, failed and skipped spec commands, skips by reason, and the failures' descriptions.</summary>
internal sealed class SpecTally
{
    /// <summary>The only reason a command may be skipped for: the engine reads binary modules only.</summary>
    public const string TextFormatReason = "text-format";

    public int Passed { get; private set; }
    public int Failed => Failures.Count;
    public int Skipped { get; private set; }
    public Dictionary<string, int> SkippedByReason { get; } = new(StringComparer.Ordinal);
    public List<string> Failures { get; } = [];

    public void Pass() => Passed++;

    public void Fail(string description) => Failures.Add(description);

    public void Skip(string reason)
    {
        Skipped++;
        SkippedByReason[reason] = SkippedByReason.GetValueOrDefault(reason) + 1;
    }

    public void Add(SpecTally other)
    {
        Passed += other.Passed;
        Failures.AddRange(other.Failures);
        foreach (var (reason, count) in other.SkippedByReason)
        {
            Skipped += count;
            SkippedByReason[reason] = SkippedByReason.GetValueOrDefault(reason) + count;
        }
    }

    /// <summary><c>P passed, F failed, S skipped</c>.</summary>
    public string Counts => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>The skips by reason, e.g. <c>text-format 120</c>.</summary>
    public string SkipReasons => string.Join(", ", SkippedByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
}
