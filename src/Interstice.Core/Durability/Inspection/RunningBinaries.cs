using Interstice.Abi.Schema;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// Which binary each module runs at the point <see cref="LogInspector"/> has read to (by content
/// hash), and so which schema reads the arguments of its calls: a reload changes the binary
/// without logging its schema, which is then read from the stored binary.
/// </summary>
internal sealed class RunningBinaries(string dataDirectory)
{
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly BinarySchemas _schemas = new(dataDirectory);

    /// <summary>Module <paramref name="module"/> runs the binary with <paramref name="hash"/>, whose <paramref name="schema"/> a load logged (null when it did not decode).</summary>
    public void Loaded(string module, string hash, ModuleSchema? schema)
    {
        _running[module] = hash;
        if (schema != null) _schemas.Add(hash, schema);
    }

    /// <summary>Module <paramref name="module"/> runs the binary with <paramref name="hash"/> from now on.</summary>
    public void Runs(string module, string hash) => _running[module] = hash;

    /// <summary>
    /// The schema that reads the arguments of a call into <paramref name="module"/>: its running
    /// binary's. Null when no binary of it is known, or when it cannot be read: then
    /// <paramref name="problem"/> says which and why.
    /// </summary>
    public ModuleSchema? ForCall(string module, out string? problem)
    {
        problem = null;
        if (!_running.TryGetValue(module, out var hash)) return null;
        var schema = _schemas.Get(hash, out string? why);
        if (schema is null) problem = $"module `{module}` ran the binary {hash} for this call, whose schema cannot be read ({why}): arguments shown in hex";
        return schema;
    }
}
