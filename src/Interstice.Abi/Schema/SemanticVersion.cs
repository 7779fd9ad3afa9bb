using System.Globalization;

namespace Interstice.Abi.Schema;

/// <summary>A semantic version 2.0.0 (<c>1.2.3</c>, <c>1.0.0-beta.1+build.5</c>), ordered by precedence.</summary>
public sealed record SemanticVersion(ulong Major, ulong Minor, ulong Patch, string PreRelease, string Build) : IComparable<SemanticVersion>
{
    /// <summary>Parses a version; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version, out string? error) ? version : throw new FormatException(error);

    /// <summary>Parses a version; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out SemanticVersion version, out string? error)
    {
        version = null!;
        error = null;
        string rest = text;
        string build = "";
        string pre = "";
        int plus = rest.IndexOf('+');
        if (plus >= 0)
        {
            build = rest[(plus + 1)..];
            rest = rest[..plus];
            if (!IdentifiersValid(build, numericRule: false))
            {
                error = $"version '{text}': build metadata '{build}' must be dot-separated non-empty [0-9A-Za-z-] identifiers";
                return false;
            }
        }
        int dash = rest.IndexOf('-');
        if (dash >= 0)
        {
            pre = rest[(dash + 1)..];
            rest = rest[..dash];
            if (!IdentifiersValid(pre, numericRule: true))
            {
                error = $"version '{text}': pre-release '{pre}' must be dot-separated non-empty [0-9A-Za-z-] identifiers without leading zeros in numbers";
                return false;
            }
        }
        string[] parts = rest.Split('.');
        if (parts.Length != 3 || !TryNumber(parts[0], out ulong major) || !TryNumber(parts[1], out ulong minor) || !TryNumber(parts[2], out ulong patch))
        {
            error = $"version '{text}' is not a semantic version MAJOR.MINOR.PATCH (e.g. 0.1.0)";
            return false;
        }
        version = new SemanticVersion(major, minor, patch, pre, build);
        return true;
    }

    /// <summary>Precedence order (semver 2.0.0 section 11); build metadata is ignored.</summary>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null) return 1;
        int c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        // A release has higher precedence than its pre-releases.
        if (PreRelease.Length == 0) return other.PreRelease.Length == 0 ? 0 : 1;
        if (other.PreRelease.Length == 0) return -1;
        string[] a = PreRelease.Split('.');
        string[] b = other.PreRelease.Split('.');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            bool aNumeric = ulong.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong an);
            bool bNumeric = ulong.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong bn);
            c = (aNumeric, bNumeric) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0) return Math.Sign(c);
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}{(PreRelease.Length > 0 ? "-" + PreRelease : "")}{(Build.Length > 0 ? "+" + Build : "")}";

    private static bool TryNumber(string text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0')) return false;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool IdentifiersValid(string text, bool numericRule)
    {
        foreach (string id in text.Split('.'))
        {
            if (id.Length == 0) return false;
            bool numeric = true;
            foreach (char c in id)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
                if (!char.IsAsciiDigit(c)) numeric = false;
            }
            if (numericRule && numeric && id.Length > 1 && id[0] == '0') return false;
        }
        return true;
    }
}
