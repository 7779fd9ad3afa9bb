using System.Globalization;

namespace Interstice.Bench.Support;

/// <summary>A suite's <c>--name value</c> options.</summary>
internal sealed class SuiteOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static SuiteOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var options = new SuiteOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !known.Contains(arg[2..]))
                throw new BenchmarkException($"unknown argument '{arg}' (options: {string.Join(", ", known.Select(k => "--" + k))})");
            if (i + 1 >= args.Count) throw new BenchmarkException($"option {arg} needs a value");
            options._values[arg[2..]] = args[++i];
        }
        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int defaultValue, int min)
    {
        if (!_values.TryGetValue(name, out string? text)) return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new BenchmarkException($"option --{name} needs a whole number of at least {min}, not '{text}'");
        return value;
    }
}
