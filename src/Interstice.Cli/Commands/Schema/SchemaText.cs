using System.Text;
using Interstice.Abi;
using Interstice.Abi.Schema;
using Interstice.Abi.Types;

namespace Interstice.Cli.Commands.Schema;

/// <summary>A schema as a short listing for people (what <c>interstice schema</c> prints without <c>--json</c>).</summary>
internal static class SchemaText
{
    public static string Format(ModuleSchema schema)
    {
        var text = new StringBuilder();
        text.AppendLine($"module {schema.Name} {schema.Version} ({schema.Visibility.ToString().ToLowerInvariant()}, abi {schema.AbiVersion})");
        if (schema.Authorities.Count > 0) text.AppendLine($"authorities: {string.Join(", ", schema.Authorities)}");

        Section(text, "types", schema.Types, t => t switch
        {
            StructDefinition s => $"struct {s.Name} {{ {Fields(s.Fields)} }}",
            EnumDefinition e => $"enum {e.Name} {{ {string.Join(", ", e.Variants.Select(Variant))} }}",
            _ => t.Name,
        });
        Section(text, "tables", schema.Tables, t =>
        {
            var row = schema.RowType(t);
            string Column(int i) => row is not null && i < row.Fields.Count ? row.Fields[i].Name : $"#{i}";
            var line = new StringBuilder($"{t.Name}: rows {t.Row}, primary key {Column(t.PrimaryKey)}");
            if (t.AutoInc.Count > 0) line.Append($", auto_inc {string.Join(", ", t.AutoInc.Select(Column))}");
            if (t.Ephemeral) line.Append(", ephemeral");
            foreach (var index in t.Indexes)
            {
                line.Append($"{Environment.NewLine}      index {index.Name}: {(index.Kind == IndexKind.BTree ? "btree" : "hash")}{(index.Unique ? " unique" : "")} ({string.Join(", ", index.Columns.Select(Column))})");
            }
            return line.ToString();
        });
        Section(text, "reducers", schema.Reducers, r => $"{r.Name}({Fields(r.Args)})");
        Section(text, "queries", schema.Queries, q => $"{q.Name}({Fields(q.Args)}) -> {q.Returns}");
        Section(text, "subscriptions", schema.Subscriptions, s => $"{s.Reducer} on {s.Event}");
        Section(text, "dependencies", schema.Dependencies, d => $"{d.Module} {d.Version}{(d.Node is null ? "" : $" on node {d.Node}")}");
        return text.ToString();
    }

    private static void Section<T>(StringBuilder text, string title, EquatableArray<T> items, Func<T, string> format)
    {
        if (items.Count == 0) return;
        text.AppendLine($"{title}:");
        foreach (var item in items) text.AppendLine($"  {format(item)}");
    }

    private static string Fields(EquatableArray<Field> fields) => string.Join(", ", fields.Select(f => $"{f.Name}: {f.Type}"));

    private static string Variant(Variant v) => v.Kind switch
    {
        VariantKind.Tuple => $"{v.Name}({string.Join(", ", v.Fields.Select(f => f.Type))})",
        VariantKind.Struct => $"{v.Name} {{ {Fields(v.Fields)} }}",
        _ => v.Name,
    };
}
