using Interstice.Abi.Schema;
using Interstice.Core.Modules;

namespace Interstice.Core.Durability.Inspection;

/// <summary>
/// The schemas of the module binaries a data directory keeps (<c>modules/&lt;sha-256&gt;.wasm</c>),
/// by content hash, each file read once: only its <c>interstice.schema</c> sections are read, the
/// binary is not compiled. A binary that cannot give its schema is remembered with the reason.
/// </summary>
internal sealed class BinarySchemas(string dataDirectory)
{
    private readonly ModuleStore _store = new(dataDirectory);
    private readonly Dictionary<string, (ModuleSchema? Schema, string? Problem)> _byHash = new(StringComparer.Ordinal);

    /// <summary>Records the schema a module load logged for the binary with <paramref name="hash"/>: its file need not be read.</summary>
    public void Add(string hash, ModuleSchema schema) => _byHash[hash] = (schema, null);

    /// <summary>The schema of the binary with <paramref name="hash"/>; null, with <paramref name="problem"/> saying why, when it cannot be had.</summary>
    public ModuleSchema? Get(string hash, out string? problem)
    {
        if (!_byHash.TryGetValue(hash, out var known)) _byHash[hash] = known = Read(hash);
        problem = known.Problem;
        return known.Schema;
    }

    private (ModuleSchema?, string?) Read(string hash)
    {
        // The hash comes from the log: checked before it becomes part of a path.
        if (!RecordedHash.IsSha256(hash)) return (null, "the recorded hash is not a sha-256");
        string path = _store.PathOf(hash);
        var (wasm, problem) = StoredBinary.Load(_store, hash);
        if (wasm is null) return (null, $"{path} {problem}");
        try
        {
            return (ModuleContract.ReadSchema(wasm), null);
        }
        catch (ModuleContractException e)
        {
            return (null, $"{path} is not a module: {e.Message}");
        }
    }
}
