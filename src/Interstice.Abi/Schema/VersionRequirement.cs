namespace Interstice.Abi.Schema;

/// <summary>
/// A dependency's version requirement (docs/abi.md section 4.8): an operator (<c>^</c> by default,
/// <c>~</c>, <c>=</c>, <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>) and a version.
/// </summary>
public sealed record VersionRequirement(string Operator, SemanticVersion Version)
{
    private static readonly string[] Operators = [">=", "<=", "^", "~", "=", ">", "<"];

    /// <summary>Parses a requirement; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static VersionRequirement Parse(string text) =>
        TryParse(text, out var requirement, out string? error) ? requirement : throw new FormatException(error);

    /// <summary>Parses a requirement; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out VersionRequirement requirement, out string? error)
    {
        requirement = null!;
        string op = "^";
        string rest = text;
        foreach (string candidate in Operators)
        {
            if (text.StartsWith(candidate, StringComparison.Ordinal))
            {
                op = candidate;
                rest = text[candidate.Length..];
                break;
            }
        }
        if (!SemanticVersion.TryParse(rest, out var version, out error))
        {
            error = $"version requirement '{text}': expected an optional operator (^ ~ = >= > <= <) and a semantic version such as ^0.1.0";
            return false;
        }
        requirement = new VersionRequirement(op, version);
        return true;
    }

    /// <summary>True when <paramref name="candidate"/> satisfies the requirement.</summary>
    public bool IsSatisfiedBy(SemanticVersion candidate)
    {
        int c = candidate.CompareTo(Version);
        return Operator switch
        {
            "=" => c == 0,
            ">" => c > 0,
            ">=" => c >= 0,
            "<" => c < 0,
            "<=" => c <= 0,
            "~" => c >= 0 && candidate.Major == Version.Major && candidate.Minor == Version.Minor,
            _ => c >= 0 && CaretCompatible(candidate),
        };
    }

    private bool CaretCompatible(SemanticVersion candidate)
    {
        if (Version.Major > 0) return candidate.Major == Version.Major;
        if (Version.Minor > 0) return candidate.Major == 0 && candidate.Minor == Version.Minor;
        return candidate.Major == 0 && candidate.Minor == 0 && candidate.Patch == Version.Patch;
    }

    /// <inheritdoc/>
    public override string ToString() => Operator + Version;
}
