namespace Interstice.Core.Modules;

/// <summary>
/// What a node checks before it loads a module, that is before it creates (or takes back) the
/// module's tables and instantiates it: the binary's imports and exports fit the ABI, its name is
/// not the one reserved for the node's own tables, it is not loaded already, each table has at most one <c>auto_inc</c>
/// column, its authorities can be granted (<see cref="AuthorityRegistry"/>), its dependencies on
/// this node are loaded and fit (<see cref="DependencyCheck"/>), and the tables it keeps (left
/// by its last load, or rebuilt by recovery) are the ones it declares (<see cref="TableCompatibility"/>).
/// The node runs it on every load, a start's restores included; <c>log verify</c>'s start
/// rehearsal runs it on every module a start would restore, against state of its own.
/// </summary>
/// <param name="findLoaded">The module loaded under a name, or null.</param>
/// <param name="authorities">Who holds which authority (checked here, claimed by the caller once the load goes ahead).</param>
/// <param name="nodeName">The node's name (a dependency naming another node is not checked).</param>
internal sealed class ModuleLoadCheck(Func<string, ModuleInfo?> findLoaded, AuthorityRegistry authorities, string nodeName)
{
    /// <summary>
    /// Throws <see cref="ModuleLoadException"/> listing every problem of loading <paramref name="contract"/>'s
    /// module (only the one when it is loaded already); returns when it can be loaded.
    /// </summary>
    /// <param name="contract">The module's compiled binary and schema.</param>
    /// <param name="retained">The tables the module keeps (from its last load, or rebuilt by recovery), or null for a first load.</param>
    public void Run(ModuleContract contract, TableBinding[]? retained)
    {
        var schema = contract.Schema;
        string name = schema.Name;
        var problems = new List<string>(contract.InterfaceErrors);
        if (name == SystemModule.Name) problems.Add($"the name `{name}` is reserved for the node's own tables");
        if (findLoaded(name) is { } existing)
        {
            throw new ModuleLoadException(name, [existing.ContentHash == contract.Module.ContentHash
                ? "it is already loaded"
                : $"another binary of it ({existing}) is loaded: unload it first"]);
        }
        foreach (var table in schema.Tables)
        {
            if (table.AutoInc.Count > 1)
                problems.Add($"table `{table.Name}` has {table.AutoInc.Count} auto_inc columns; this node supports one per table");
        }
        problems.AddRange(authorities.Check(name, schema.Authorities));
        problems.AddRange(DependencyCheck.Check(schema, findLoaded, nodeName));
        if (retained != null) problems.AddRange(TableCompatibility.Check(retained, schema));
        if (problems.Count > 0) throw new ModuleLoadException(name, problems);
    }
}
