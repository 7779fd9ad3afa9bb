using Interstice.Abi.Schema;

namespace Interstice.Core.Modules;

/// <summary>
/// The order in which a start loads the modules it restores: each after the modules of the list
/// it depends on on this node, by the schemas their binaries declare. Not by the schemas logged
/// when their tables were created: only a module's first load logs one, so a binary loaded later
/// over kept tables may depend on modules its logged schema does not name.
/// </summary>
internal static class RestoreOrder
{
    /// <summary>
    /// <paramref name="modules"/> each after those of the list it depends on on node
    /// <paramref name="nodeName"/> (by <paramref name="schemaOf"/>), otherwise in the list's
    /// order; where every module left waits for another (a cycle), the first of them goes first.
    /// </summary>
    public static List<T> Of<T>(List<T> modules, Func<T, ModuleSchema> schemaOf, string nodeName)
    {
        var pending = new List<T>(modules);
        var ordered = new List<T>(modules.Count);
        while (pending.Count > 0)
        {
            int ready = pending.FindIndex(m => !WaitsForAnother(schemaOf(m), pending, schemaOf, nodeName));
            if (ready < 0) ready = 0;
            ordered.Add(pending[ready]);
            pending.RemoveAt(ready);
        }
        return ordered;
    }

    private static bool WaitsForAnother<T>(ModuleSchema schema, List<T> pending, Func<T, ModuleSchema> schemaOf, string nodeName)
    {
        foreach (var dependency in schema.Dependencies)
        {
            if (dependency.Node is not null && dependency.Node != nodeName) continue;
            if (dependency.Module != schema.Name && pending.Exists(p => schemaOf(p).Name == dependency.Module)) return true;
        }
        return false;
    }
}
