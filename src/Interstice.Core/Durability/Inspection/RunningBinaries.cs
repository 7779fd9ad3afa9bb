using Interstice.Abi.Schema;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// Which binary each module runs at the point <see cref="LogInspector"/> has read to (by content
/// hash), and so which schema reads the arguments of its calls: a reload changes the binary
/// without logging its schema, which is then read from the stored binary. Where the log cannot
/// tell which binary a module ran, its calls say so rather than being read with another binary's.
/// </summary>
internal sealed class RunningBinaries(string dataDirectory)
{
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _notKnown = new(StringComparer.Ordinal);
    private readonly BinarySchemas _schemas = new(dataDirectory);
    private string? _othersNotKnown;

    /// <summary>Module <paramref name="module"/> runs the binary with <paramref name="hash"/>, whose <paramref name="schema"/> a load logged (null when it did not decode).</summary>
    public void Loaded(string module, string hash, ModuleSchema? schema)
    {
        Runs(module, hash);
        if (schema != null) _schemas.Add(hash, schema);
    }

    /// <summary>Module <paramref name="module"/> runs the binary with <paramref name="hash"/> from now on.</summary>
    public void Runs(string module, string hash)
    {
        _running[module] = hash;
        _notKnown.Remove(module);
    }

    /// <summary>Which binary <paramref name="module"/> runs is not known (<paramref name="why"/>) until a load or a change of its row names one.</summary>
    public void NotKnown(string module, string why)
    {
        _running.Remove(module);
        _notKnown[module] = why;
    }

    /// <summary>Which binary any module runs is not known (<paramref name="why"/>) until a load or a change of its row names one.</summary>
    public void NoneKnown(string why)
    {
        _running.Clear();
        _notKnown.Clear();
        _othersNotKnown = why;
    }

    /// <summary>
    /// The schema that reads the arguments of a call into <paramref name="module"/>: its running
    /// binary's. Null when no binary of it is known, or when it cannot be read: then
    /// <paramref name="problem"/> says which and why (it is null only for a module the log has
    /// not named at all).
    /// </summary>
    public ModuleSchema? ForCall(string module, out string? problem)
    {
        problem = null;
        if (!_running.TryGetValue(module, out var hash))
        {
            if ((_notKnown.GetValueOrDefault(module) ?? _othersNotKnown) is { } unknown)
                problem = $"which binary module `{module}` ran for this call is not known ({unknown}): arguments shown in hex";
            return null;
        }
        var schema = _schemas.Get(hash, out string? why);
        if (schema is null) problem = $"module `{module}` ran the binary {RecordedHash.Describe(hash)} for this call, whose schema cannot be read ({why}): arguments shown in hex";
        return schema;
    }
}
