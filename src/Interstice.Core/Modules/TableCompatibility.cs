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
        var changedByTable = new Dictionary<TypeTable, HashSet<string>>(ReferenceEqualityComparer.Instance);
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
            if (!changedByTable.TryGetValue(old.Types, out var changed))
                changedByTable[old.Types] = changed = ChangedTypes(retained, old.Types, schema.TypeTable);
            if (table != old.Schema || changed.Contains(old.Schema.Row))
                problems.Add($"table `{old.Schema.Name}` holds data from the module's last load and the new binary declares it differently; the node does not migrate data: remove the module first");
        }
        foreach (var table in schema.Tables)
        {
            if (!names.Contains(table.Name))
                problems.Add($"table `{table.Name}` is new: the node does not migrate a module's tables; remove the module first");
        }
        return problems;
    }

    /// <summary>
    /// The named types, among those the rows of <paramref name="retained"/> tables (with types
    /// in <paramref name="before"/>) reach, that mean something else in <paramref name="after"/>:
    /// defined differently or not at all, or holding such a type. A type that reaches itself
    /// only through unchanged types is unchanged.
    /// </summary>
    /// <remarks>
    /// Worklists rather than recursion: a module may chain any number of named types, and a
    /// check that recursed per link would let it overflow the stack of the node loading it. One
    /// walk over every row's types, then one pass back along the references from each changed
    /// type to those holding it: linear in the types, however many tables share them.
    /// </remarks>
    private static HashSet<string> ChangedTypes(TableBinding[] retained, TypeTable before, TypeTable after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var heldBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        var parts = new Stack<AbiType>();
        foreach (var table in retained)
        {
            if (ReferenceEquals(table.Types, before) && seen.Add(table.Schema.Row)) pending.Push(table.Schema.Row);
        }
        while (pending.TryPop(out string? name))
        {
            var old = before.Find(name);
            if (old is null || old != after.Find(name))
            {
                changed.Add(name);
                continue;
            }
            foreach (var field in Fields(old)) parts.Push(field.Type);
            while (parts.TryPop(out var type))
            {
                switch (type)
                {
                    case OptionType option: parts.Push(option.Element); break;
                    case VecType vec: parts.Push(vec.Element); break;
                    case TupleType tuple:
                        foreach (var element in tuple.Elements) parts.Push(element);
                        break;
                    case NamedType held:
                        if (!heldBy.TryGetValue(held.Name, out var holders)) heldBy[held.Name] = holders = [];
                        holders.Add(name);
                        if (seen.Add(held.Name)) pending.Push(held.Name);
                        break;
                }
            }
        }

        var spreading = new Stack<string>(changed);
        while (spreading.TryPop(out string? name))
        {
            if (!heldBy.TryGetValue(name, out var holders)) continue;
            foreach (string holder in holders)
            {
                if (changed.Add(holder)) spreading.Push(holder);
            }
        }
        return changed;
    }

    private static IEnumerable<Field> Fields(TypeDefinition definition) => definition switch
    {
        StructDefinition s => s.Fields,
        EnumDefinition e => e.Variants.SelectMany(static v => v.Fields),
        _ => [],
    };
}
