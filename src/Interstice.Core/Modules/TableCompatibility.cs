using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Core.Modules;

/// <summary>
/// Whether a module loaded again after an unload can take over the tables it left: it must
/// declare exactly the same tables, with the same columns, keys, indexes and types (the node
/// does not migrate data).
/// </summary>
internal static class TableCompatibility
{
    public static List<string> Check(TableBinding[] retained, ModuleSchema schema)
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var old in retained)
        {
            names.Add(old.Schema.Name);
            int id = schema.FindTable(old.Schema.Name);
            if (id < 0)
            {
                problems.Add($"table `{old.Schema.Name}` holds data from the module's last load but the new binary does not declare it; remove the module (Node.RemoveModule drops its data) or keep the table");
                continue;
            }
            var table = schema.Tables[id];
            if (table != old.Schema || !SameTypes(new NamedType(old.Schema.Row), old.Types, schema.TypeTable, []))
                problems.Add($"table `{old.Schema.Name}` holds data from the module's last load and the new binary declares it differently; the node does not migrate data: remove the module first");
        }
        foreach (var table in schema.Tables)
        {
            if (!names.Contains(table.Name) && retained.Length > 0)
                problems.Add($"table `{table.Name}` is new: the node does not migrate a module's tables; remove the module first");
        }
        return problems;
    }

    /// <summary>True when <paramref name="type"/> means the same in both type tables (recursively).</summary>
    private static bool SameTypes(AbiType type, TypeTable before, TypeTable after, HashSet<string> seen)
    {
        switch (type)
        {
            case OptionType option: return SameTypes(option.Element, before, after, seen);
            case VecType vec: return SameTypes(vec.Element, before, after, seen);
            case TupleType tuple:
                foreach (var element in tuple.Elements)
                {
                    if (!SameTypes(element, before, after, seen)) return false;
                }
                return true;
            case NamedType named:
                if (!seen.Add(named.Name)) return true;
                var old = before.Find(named.Name);
                var now = after.Find(named.Name);
                if (old is null || old != now) return false;
                var fields = old switch
                {
                    StructDefinition s => s.Fields.AsSpan().ToArray(),
                    EnumDefinition e => e.Variants.SelectMany(v => v.Fields).ToArray(),
                    _ => [],
                };
                foreach (var field in fields)
                {
                    if (!SameTypes(field.Type, before, after, seen)) return false;
                }
                return true;
            default:
                return true;
        }
    }
}
