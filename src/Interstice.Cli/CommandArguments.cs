namespace Interstice.Cli;

/// <summary>
/// The arguments after a command's name: options (<c>--name value</c>, <c>--name=value</c>,
/// <c>--flag</c>; some may be given several times) and positional arguments. Option parsing stops at <c>--</c> or, when the command
/// asks for it, at the first positional argument (so that a program's own arguments pass through).
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private CommandArguments(List<string> positional) => Positional = positional;

    public IReadOnlyList<string> Positional { get; }

    /// <param name="args">The arguments after the command's name.</param>
    /// <param name="valueOptions">Options that take a value (without the leading <c>--</c>).</param>
    /// <param name="flagOptions">Options that take no value.</param>
    /// <param name="stopAtFirstPositional">Treat everything from the first positional argument on as positional.</param>
    /// <param name="repeatableOptions">Options that take a value and may be given several times (read them with <see cref="GetAll"/>).</param>
    public static CommandArguments Parse(
        IReadOnlyList<string> args,
        IReadOnlyCollection<string> valueOptions,
        IReadOnlyCollection<string> flagOptions,
        bool stopAtFirstPositional = false,
        IReadOnlyCollection<string>? repeatableOptions = null)
    {
        var positional = new List<string>();
        var result = new CommandArguments(positional);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                string name = arg[2..];
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                if (repeatableOptions is not null && repeatableOptions.Contains(name))
                {
                    if (value is null)
                    {
                        if (i + 1 >= args.Count) throw new UsageException($"option --{name} needs a value");
                        value = args[++i];
                    }
                    if (!result._repeated.TryGetValue(name, out var values)) result._repeated[name] = values = [];
                    values.Add(value);
                    continue;
                }
                if (valueOptions.Contains(name))
                {
                    if (value is null)
                    {
                        if (i + 1 >= args.Count) throw new UsageException($"option --{name} needs a value");
                        value = args[++i];
                    }
                }
                else if (flagOptions.Contains(name))
                {
                    if (value is not null) throw new UsageException($"option --{name} takes no value");
                }
                else
                {
                    throw new UsageException($"unknown option --{name}");
                }
                if (!result._options.TryAdd(name, value)) throw new UsageException($"option --{name} given twice");
                continue;
            }
            if (stopAtFirstPositional)
            {
                positional.AddRange(args.Skip(i));
                break;
            }
            positional.Add(arg);
        }
        return result;
    }

    public bool Has(string name) => _options.ContainsKey(name) || _repeated.ContainsKey(name);

    /// <summary>Every value given to a repeatable option, in order (empty when it was not given).</summary>
    public IReadOnlyList<string> GetAll(string name) => _repeated.TryGetValue(name, out var values) ? values : [];

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>The value of an option naming a file or directory; an empty or blank one is a usage error.</summary>
    public string? GetPath(string name)
    {
        string? path = Get(name);
        if (path is not null && string.IsNullOrWhiteSpace(path)) throw new UsageException($"option --{name} needs a path, not '{path}'");
        return path;
    }

    /// <summary>
    /// The positional argument at <paramref name="index"/>, naming a file or directory
    /// (<paramref name="what"/>, as the usage names it); an empty or blank one is a usage error.
    /// </summary>
    public string GetPositionalPath(int index, string what)
    {
        string path = Positional[index];
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{what} needs a path, not '{path}'");
        return path;
    }

    public long? GetInt64(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        string? text = Get(name);
        if (text is null) return null;
        if (!long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value)
            || value < min || value > max)
            throw new UsageException($"option --{name} needs a whole number from {min} to {max}, not '{text}'");
        return value;
    }

    public double? GetDouble(string name, double min, double max)
    {
        string? text = Get(name);
        if (text is null) return null;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            || double.IsNaN(value) || value < min || value > max)
            throw new UsageException($"option --{name} needs a number from {min} to {max}, not '{text}'");
        return value;
    }
}
