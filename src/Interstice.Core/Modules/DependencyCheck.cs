using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Core.Modules;

/// <summary>
/// Link-time checks of a module against the modules already loaded (docs/abi.md section 12,
/// step 5): each dependency on this node is loaded in a version that satisfies the requirement;
/// each imported type <c>m.T</c> is <c>m</c>'s definition of <c>T</c> with <c>m</c>'s names
/// qualified; each subscription to <c>m</c>'s table names an existing table whose row type the
/// handler takes. Dependencies on other nodes are not checked (no networking yet).
/// </summary>
internal static class DependencyCheck
{
    /// <param name="schema">The module to load.</param>
    /// <param name="findLoaded">The module loaded on this node under a name, or null.</param>
    /// <param name="nodeName">This node's name: a dependency naming another node is not checked.</param>
    public static List<string> Check(ModuleSchema schema, Func<string, ModuleInfo?> findLoaded, string nodeName)
    {
        var problems = new List<string>();
        var resolved = new Dictionary<string, ModuleInfo>(StringComparer.Ordinal);
        foreach (var dependency in schema.Dependencies)
        {
            if (dependency.Node != null && dependency.Node != nodeName) continue;
            if (findLoaded(dependency.Module) is not { } callee)
            {
                problems.Add($"it depends on module {dependency.Module} {dependency.Version}, which is not loaded on this node: load it first");
                continue;
            }
            var requirement = VersionRequirement.Parse(dependency.Version);
            if (!requirement.IsSatisfiedBy(SemanticVersion.Parse(callee.Schema.Version)))
            {
                problems.Add($"it depends on module {dependency.Module} {dependency.Version}, but version {callee.Schema.Version} is loaded");
                continue;
            }
            resolved[callee.Name] = callee;
        }

        foreach (var copy in schema.Types)
        {
            int dot = copy.Name.IndexOf('.');
            if (dot < 0 || !resolved.TryGetValue(copy.Name[..dot], out var callee)) continue;
            string name = copy.Name[(dot + 1)..];
            var original = callee.Schema.TypeTable.Find(name);
            if (original is null)
                problems.Add($"type {copy.Name}: module {callee.Name} {callee.Schema.Version} has no type `{name}`; regenerate the bindings");
            else if (Qualify(original, callee) != copy)
                problems.Add($"type {copy.Name} does not match module {callee.Name} {callee.Schema.Version}'s definition of `{name}`; regenerate the bindings");
        }

        foreach (var subscription in schema.Subscriptions)
        {
            if (subscription.Event is not TableEvent e || e.Module == schema.Name || !resolved.TryGetValue(e.Module, out var owner)) continue;
            int table = owner.Schema.FindTable(e.Table);
            if (table < 0)
            {
                problems.Add($"subscription {subscription.Reducer} on {e}: module {owner.Name} has no table `{e.Table}`");
                continue;
            }
            string expected = owner.Name + "." + owner.Schema.Tables[table].Row;
            var reducer = schema.FindReducer(subscription.Reducer)!;
            foreach (var argument in reducer.Args)
            {
                if (argument.Type is not NamedType named || named.Name != expected)
                    problems.Add($"subscription {subscription.Reducer} on {e}: argument `{argument.Name}` has type {argument.Type}, but rows of {owner.Name}.{e.Table} are {expected}");
            }
        }
        return problems;
    }

    /// <summary><paramref name="definition"/> of <paramref name="module"/> as a module importing it copies it: every name the module defines prefixed with its name.</summary>
    private static TypeDefinition Qualify(TypeDefinition definition, ModuleInfo module)
    {
        string prefix = module.Name + ".";
        var types = module.Schema.TypeTable;
        return definition switch
        {
            StructDefinition s => new StructDefinition(prefix + s.Name, QualifyFields(s.Fields)),
            EnumDefinition e => new EnumDefinition(prefix + e.Name, e.Variants.Select(v => v with { Fields = QualifyFields(v.Fields) }).ToArray()),
            _ => definition,
        };

        EquatableArray<Field> QualifyFields(EquatableArray<Field> fields) => fields.Select(f => f with { Type = QualifyType(f.Type) }).ToArray();

        AbiType QualifyType(AbiType type) => type switch
        {
            NamedType named when types.Find(named.Name) != null && !named.Name.Contains('.') => new NamedType(prefix + named.Name),
            OptionType option => new OptionType(QualifyType(option.Element)),
            VecType vec => new VecType(QualifyType(vec.Element)),
            TupleType tuple => new TupleType(tuple.Elements.Select(QualifyType).ToArray()),
            _ => type,
        };
    }
}
